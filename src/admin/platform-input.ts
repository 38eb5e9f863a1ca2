import { z } from 'zod';
import { isStorableId } from '../../lti';
import type { NewPlatform } from '../db/repositories/platforms';

/** Plain http is allowed only for local development and tests. */
const endpoint = (what: string) =>
  z.url({ message: `${what} must be an absolute URL, e.g. https://moodle.example.org/...` }).refine((u) => {
    // zod runs refinements even when the URL check failed: an unparsable value is reported once, above.
    if (!URL.canParse(u)) return true;
    const url = new URL(u);
    return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  }, `${what} must use https (plain http is accepted only for localhost)`);

const optionalEndpoint = (what: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), endpoint(what).optional());

/** One deployment id as the registry stores it (see isStorableId: bounded, no NUL). */
export const deploymentIdInput = z
  .string()
  .trim()
  .min(1)
  .refine(isStorableId, 'a deployment id has at most 255 characters and no NUL character');

/**
 * A platform registered by hand (admin form or `npm run platform -- add`). For Moodle, the values are on
 * the tool's "View configuration details" page: Platform ID = issuer, Client ID, Deployment ID, and the
 * three endpoint URLs.
 */
export const newPlatformInput = z.object({
  name: z
    .string({ message: 'name is required (e.g. "Moodle of Lycée Jean Moulin")' })
    .trim()
    .min(1, 'name is required (e.g. "Moodle of Lycée Jean Moulin")')
    .max(200),
  issuer: endpoint('issuer (Platform ID)'),
  clientId: z.string({ message: 'client id is required' }).trim().min(1, 'client id is required').max(255),
  authEndpoint: endpoint('authentication request URL'),
  tokenEndpoint: optionalEndpoint('access token URL'),
  jwksUri: endpoint('public keyset URL'),
  authorizationServer: optionalEndpoint('authorization server'),
  deploymentIds: z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(/[\s,]+/)
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z
      .array(deploymentIdInput, {
        message: 'at least one deployment id is required (Moodle: the tool id, e.g. 1)',
      })
      .min(1, 'at least one deployment id is required (Moodle: the tool id, e.g. 1)'),
  ),
  active: z.boolean().default(true),
});

export type NewPlatformInput = z.infer<typeof newPlatformInput>;

/** Turns zod's issues into `field: message` lines for forms and the command line. */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message }));
}

/** A validated manual registration, as the registry stores it. */
export function toNewPlatform(input: NewPlatformInput): NewPlatform {
  return {
    name: input.name,
    issuer: input.issuer,
    clientId: input.clientId,
    deploymentIds: input.deploymentIds,
    authEndpoint: input.authEndpoint,
    tokenEndpoint: input.tokenEndpoint ?? null,
    jwksUri: input.jwksUri,
    authorizationServer: input.authorizationServer ?? null,
    status: input.active ? 'active' : 'pending',
    source: 'manual',
  };
}
