import { z } from 'zod';
import { deepLinkingSettingsSchema, type Launch } from '../../../lti';

/**
 * What a launch session keeps of the verified launch: what later pages show or need (names, course,
 * activity, services, deep linking settings), parsed back with zod when a session is loaded.
 */
export const storedLaunchSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  messageType: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
  view: z.enum(['staff', 'mentor', 'learner']),
  name: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  email: z.string().optional(),
  roleScopeMentor: z.array(z.string()).default([]),
  targetLinkUri: z.string(),
  context: z
    .looseObject({ id: z.string(), title: z.string().optional(), label: z.string().optional() })
    .optional(),
  resourceLink: z
    .looseObject({ id: z.string(), title: z.string().optional(), description: z.string().optional() })
    .optional(),
  custom: z.record(z.string(), z.string()).default({}),
  returnUrl: z.string().optional(),
  documentTarget: z.string().optional(),
  ags: z.looseObject({}).optional(),
  nrps: z.looseObject({}).optional(),
  deepLinking: deepLinkingSettingsSchema.optional(),
});
export type StoredLaunch = z.infer<typeof storedLaunchSchema>;

export function toStoredLaunch(l: Launch): StoredLaunch {
  return {
    issuer: l.issuer,
    clientId: l.clientId,
    messageType: l.messageType,
    view: l.view,
    name: l.name,
    givenName: l.givenName,
    familyName: l.familyName,
    email: l.email,
    roleScopeMentor: l.roleScopeMentor,
    targetLinkUri: l.targetLinkUri,
    context: l.context,
    resourceLink: l.resourceLink,
    custom: l.custom,
    returnUrl: l.launchPresentation?.return_url,
    documentTarget: l.launchPresentation?.document_target,
    ags: l.ags,
    nrps: l.nrps,
    deepLinking: l.deepLinking,
  };
}

/** The name to greet: the full name, else given + family, else null (the page shows an anonymous label). */
export function displayName(l: StoredLaunch): string | null {
  if (l.name) return l.name;
  const parts = [l.givenName, l.familyName].filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}
