import { z } from 'zod';

export const LTI_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';
export const CLAIMS = {
  messageType: `${LTI_CLAIM}message_type`,
  version: `${LTI_CLAIM}version`,
  deploymentId: `${LTI_CLAIM}deployment_id`,
  targetLinkUri: `${LTI_CLAIM}target_link_uri`,
  resourceLink: `${LTI_CLAIM}resource_link`,
  roles: `${LTI_CLAIM}roles`,
  roleScopeMentor: `${LTI_CLAIM}role_scope_mentor`,
  context: `${LTI_CLAIM}context`,
  toolPlatform: `${LTI_CLAIM}tool_platform`,
  launchPresentation: `${LTI_CLAIM}launch_presentation`,
  custom: `${LTI_CLAIM}custom`,
  lis: `${LTI_CLAIM}lis`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  deepLinkingData: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  dlMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  dlLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/log',
  dlErrorMsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg',
  dlErrorLog: 'https://purl.imsglobal.org/spec/lti-dl/claim/errorlog',
} as const;

export const SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

export const SUPPORTED_MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export type SupportedMessageType = (typeof SUPPORTED_MESSAGE_TYPES)[number];

const optStr = z.string().optional();

// An id a tool keys its records on (a user, a course, a link, a client, a deployment). LTI 1.3 caps
// them at 255 ASCII characters (OIDC does the same for `sub`): longer ones are refused rather than left
// to fail in a database index. No NUL (PostgreSQL refuses it in text) and no lone UTF-16 surrogate
// (only a JSON escape can make one; stored, it would become U+FFFD, and two different ids one).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const isStorableId = (v: string) =>
  v.length <= 255 && !v.includes('\u0000') && !LONE_SURROGATE.test(v);
export const storableIdSchema = z
  .string()
  .min(1)
  .refine(isStorableId, 'at most 255 characters, no NUL, no lone surrogate');

export const contextClaimSchema = z.looseObject({
  id: storableIdSchema,
  label: optStr,
  title: optStr,
  type: z.array(z.string()).optional(),
});
export type ContextClaim = z.infer<typeof contextClaimSchema>;

export const resourceLinkClaimSchema = z.looseObject({
  id: storableIdSchema,
  title: optStr,
  description: optStr,
});
export type ResourceLinkClaim = z.infer<typeof resourceLinkClaimSchema>;

export const launchPresentationClaimSchema = z.looseObject({
  document_target: z.string().optional(),
  return_url: z.string().optional(),
  locale: z.string().optional(),
  height: z.number().optional(),
  width: z.number().optional(),
});
export type LaunchPresentationClaim = z.infer<typeof launchPresentationClaimSchema>;

export const toolPlatformClaimSchema = z.looseObject({
  guid: optStr,
  name: optStr,
  version: optStr,
  product_family_code: optStr,
  contact_email: optStr,
  description: optStr,
  url: optStr,
});
export type ToolPlatformClaim = z.infer<typeof toolPlatformClaimSchema>;

export const lisClaimSchema = z.looseObject({
  person_sourcedid: optStr,
  course_offering_sourcedid: optStr,
  course_section_sourcedid: optStr,
});
export type LisClaim = z.infer<typeof lisClaimSchema>;

export const agsClaimSchema = z.looseObject({
  scope: z.array(z.string()).default([]),
  lineitems: z.string().optional(),
  lineitem: z.string().optional(),
});
export type AgsClaim = z.infer<typeof agsClaimSchema>;

export const nrpsClaimSchema = z.looseObject({
  context_memberships_url: z.string().min(1),
  service_versions: z.array(z.string()).default(['2.0']),
});
export type NrpsClaim = z.infer<typeof nrpsClaimSchema>;

export const deepLinkingSettingsSchema = z.looseObject({
  deep_link_return_url: z.string().min(1),
  accept_types: z.array(z.string()),
  accept_presentation_document_targets: z.array(z.string()).default([]),
  accept_media_types: z.string().optional(),
  accept_multiple: z.boolean().optional(),
  accept_lineitem: z.boolean().optional(),
  auto_create: z.boolean().optional(),
  title: optStr,
  text: optStr,
  /** Opaque: must come back unchanged in the response. */
  data: z.unknown().optional(),
});
export type DeepLinkingSettings = z.infer<typeof deepLinkingSettingsSchema>;

/** Custom parameters are strings per spec; some platforms send numbers or booleans: stringify those. */
export const customClaimSchema = z.record(z.string(), z.unknown()).transform((r) =>
  Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ),
);

export const rolesClaimSchema = z.array(z.string());
export const roleScopeMentorSchema = z.array(z.string());

// ---------------------------------------------------------------- roles

export type RoleView = 'staff' | 'mentor' | 'learner';

const STAFF_ROLES = new Set(['Instructor', 'TeachingAssistant', 'ContentDeveloper', 'Administrator']);
const CONTEXT_PREFIX = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';
const INSTITUTION_PREFIX = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#';
const SYSTEM_PREFIX = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#';

/** Where a role applies: in this course (context), or across the institution or the whole system. */
export type RoleScope = 'context' | 'institution' | 'system';

/**
 * A role URI or short name to its scope and principal name: `...membership#Instructor` and `Instructor`
 * → context Instructor; sub-roles (`membership/Instructor#TeachingAssistant`) → context
 * TeachingAssistant; `...institution/person#Administrator` → institution Administrator. Unknown
 * vocabularies → null.
 */
export function parseRole(role: string): { scope: RoleScope; name: string } | null {
  for (const [prefix, scope] of [
    [CONTEXT_PREFIX, 'context'],
    [INSTITUTION_PREFIX, 'institution'],
    [SYSTEM_PREFIX, 'system'],
  ] as const) {
    if (role.startsWith(prefix))
      return role.length > prefix.length ? { scope, name: role.slice(prefix.length) } : null;
  }
  const sub = /^http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership\/[A-Za-z]+#([A-Za-z]+)$/.exec(role);
  if (sub?.[1]) return { scope: 'context', name: sub[1] };
  if (/^[A-Za-z]+$/.test(role)) return { scope: 'context', name: role };
  return null;
}

/** The principal name of a role, whatever its scope (see parseRole). */
export function principalRole(role: string): string | null {
  return parseRole(role)?.name ?? null;
}

/**
 * Staff › Mentor › learner (default). Staff: Instructor, TeachingAssistant or ContentDeveloper of this
 * course, or Administrator of the course, the institution or the system. An institution role says
 * what a person is elsewhere (Canvas sends `institution/person#Instructor` with the `Learner` of a
 * student who teaches another course): it does not make them staff here.
 */
export function classifyRoles(roles: readonly string[]): RoleView {
  const parsed = roles.map(parseRole).filter((r) => r !== null);
  const staff = parsed.some(
    (r) => r.name === 'Administrator' || (r.scope === 'context' && STAFF_ROLES.has(r.name)),
  );
  if (staff) return 'staff';
  if (parsed.some((r) => r.scope === 'context' && r.name === 'Mentor')) return 'mentor';
  return 'learner';
}

// ---------------------------------------------------------------- locale

export type ToolLocale = 'fr' | 'en';
export const SUPPORTED_LOCALES: readonly ToolLocale[] = ['fr', 'en'];

/**
 * The first language tag given decides: `fr-CA` → fr, `en_GB` → en; one we do not speak (`de-DE`), or
 * none at all, → `fallback` (the tool's default language, French unless configured).
 */
export function pickLocale(
  candidates: ReadonlyArray<string | undefined | null>,
  fallback: ToolLocale = 'fr',
): ToolLocale {
  for (const c of candidates) {
    if (!c) continue;
    const lang = c.split(/[-_]/)[0]?.toLowerCase();
    return lang === 'fr' || lang === 'en' ? lang : fallback;
  }
  return fallback;
}

// ---------------------------------------------------------------- the verified launch

export interface Launch {
  platformId: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  messageType: SupportedMessageType;
  /** The platform's user id; with platformId, the learner's identity. */
  sub: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  /** As received (full URIs or short names). */
  roles: string[];
  view: RoleView;
  /** Users a mentor follows (role_scope_mentor), empty otherwise. */
  roleScopeMentor: string[];
  targetLinkUri: string;
  context?: ContextClaim;
  /** Present for LtiResourceLinkRequest (required there), may be present for deep linking. */
  resourceLink?: ResourceLinkClaim;
  custom: Record<string, string>;
  launchPresentation?: LaunchPresentationClaim;
  locale: ToolLocale;
  toolPlatform?: ToolPlatformClaim;
  lis?: LisClaim;
  ags?: AgsClaim;
  nrps?: NrpsClaim;
  deepLinking?: DeepLinkingSettings;
  nonce: string;
  issuedAt: number;
  expiresAt: number;
}
