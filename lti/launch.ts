import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import type { z } from 'zod';
import {
  agsClaimSchema,
  CLAIMS,
  classifyRoles,
  contextClaimSchema,
  customClaimSchema,
  deepLinkingSettingsSchema,
  isStorableId,
  launchPresentationClaimSchema,
  lisClaimSchema,
  nrpsClaimSchema,
  pickLocale,
  resourceLinkClaimSchema,
  roleScopeMentorSchema,
  rolesClaimSchema,
  SUPPORTED_MESSAGE_TYPES,
  toolPlatformClaimSchema,
  type Launch,
  type SupportedMessageType,
  type ToolLocale,
} from './claims';
import { LtiError } from './errors';
import type { PlatformKeyCache } from './platform-keys';

/** Where verifyLaunch gets the platform's key: a PlatformKeyCache, or a narrower view of one. */
export type LaunchKeySource = Pick<PlatformKeyCache, 'getKey'>;
import { verifyCompactSignature } from './signature';
import type { Clock, NonceStore, Platform } from './types';

/** Asymmetric algorithms only: `none` and HMAC (a public key used as a secret) are refused. */
export const ALLOWED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'] as const;

export interface VerifyLaunchOptions {
  idToken: unknown;
  /** The platform the login chose (the state record's platform). */
  platform: Platform;
  /** The login's lti_deployment_id, when it carried one. */
  expectedDeploymentId?: string | null;
  keys: LaunchKeySource;
  nonces: NonceStore;
  clock: Clock;
  /** Clock skew allowed on exp and iat. Default 60 s. */
  skewMs?: number;
  /** Oldest acceptable iat. Default 1 h (Moodle's tokens live 60 s; slow networks and clocks exist). */
  maxAgeMs?: number;
  /** The launch's language when it names none we speak. Default French. */
  defaultLocale?: ToolLocale;
}

type Payload = Record<string, unknown>;

function fail(code: ConstructorParameters<typeof LtiError>[0], detail?: string, details?: Payload): never {
  throw new LtiError(code, detail, details);
}

function claim<S extends z.ZodType>(payload: Payload, name: string, schema: S): z.infer<S> | undefined {
  const v = payload[name];
  if (v === undefined || v === null) return undefined;
  const r = schema.safeParse(v);
  if (!r.success) fail('claims_invalid', name, { claim: name });
  return r.data;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Verify an id_token into a Launch, in LTI.md's order, each failure with its own code. The app checks
 * the state (checkState) before calling this.
 */
export async function verifyLaunch(opts: VerifyLaunchOptions): Promise<Launch> {
  const { platform } = opts;
  const skew = opts.skewMs ?? 60_000;
  const maxAge = opts.maxAgeMs ?? 3600_000;
  const token = opts.idToken;
  if (typeof token !== 'string' || token === '') fail('token_missing');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) fail('token_malformed');

  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    fail('token_malformed', 'header');
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || !(ALLOWED_ALGS as readonly string[]).includes(alg)) {
    fail('alg_forbidden', String(alg), { alg: String(alg) });
  }
  if (typeof header.kid !== 'string' || header.kid === '') fail('kid_missing');

  if (platform.status !== 'active') fail('platform_inactive', platform.issuer);
  const key = await opts.keys.getKey(platform.jwksUri, header.kid, alg);
  // We understand no JWS extension: a `crit` header must be refused (RFC 7515, 4.1.11).
  if (header.crit !== undefined || !verifyCompactSignature(token, alg, key)) fail('signature_invalid');
  let payload: Payload;
  let json: string;
  try {
    const encoded = token.slice(token.indexOf('.') + 1, token.lastIndexOf('.'));
    json = Buffer.from(encoded, 'base64url').toString('utf8');
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    payload = parsed as Payload;
  } catch {
    fail('token_malformed', 'payload');
  }
  // No claim of any LTI message holds a NUL character, and no database text column accepts one
  // (PostgreSQL refuses it): refused here, with a code, rather than failing later as a server error.
  // A raw NUL cannot appear in valid JSON, so its escape (not preceded by an escaped backslash) is
  // the only form to look for.
  if (/(?<!\\)(?:\\\\)*\\u0000/.test(json))
    fail('claims_invalid', 'NUL character', { claim: 'NUL character' });

  if (payload.iss !== platform.issuer) fail('iss_mismatch', String(payload.iss));
  const aud = payload.aud;
  const auds =
    typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  if (!auds.includes(platform.clientId)) fail('aud_mismatch');
  if (auds.length > 1 || payload.azp !== undefined) {
    if (payload.azp === undefined) fail('azp_missing');
    if (payload.azp !== platform.clientId) fail('azp_mismatch');
  }

  const now = opts.clock.now();
  const exp = payload.exp;
  if (typeof exp !== 'number' || exp * 1000 + skew <= now) fail('token_expired');
  const iat = payload.iat;
  if (typeof iat !== 'number') fail('iat_missing');
  if (iat * 1000 - skew > now) fail('iat_future');
  if (now - iat * 1000 > maxAge) fail('iat_too_old');

  const nonce = str(payload.nonce);
  if (!nonce) fail('nonce_missing');
  const consumed = await opts.nonces.consume(platform.id, nonce, now);
  if (consumed === 'unknown') fail('nonce_unknown');
  if (consumed === 'replayed') fail('nonce_replayed');

  if (payload[CLAIMS.version] !== '1.3.0') fail('version_invalid', String(payload[CLAIMS.version]));
  const messageType = str(payload[CLAIMS.messageType]);
  if (!messageType) fail('message_type_missing');
  if (!(SUPPORTED_MESSAGE_TYPES as readonly string[]).includes(messageType)) {
    fail('message_type_unsupported', messageType, { messageType });
  }
  const deploymentId = str(payload[CLAIMS.deploymentId]);
  if (!deploymentId) fail('deployment_missing');
  if (!platform.deploymentIds.includes(deploymentId))
    fail('deployment_unknown', deploymentId, { deploymentId });
  if (opts.expectedDeploymentId && opts.expectedDeploymentId !== deploymentId) {
    fail('deployment_mismatch', deploymentId, { deploymentId, expected: opts.expectedDeploymentId });
  }

  const resourceLinkRaw = payload[CLAIMS.resourceLink] as Payload | undefined;
  const targetLinkUri = str(payload[CLAIMS.targetLinkUri]);
  let deepLinking: Launch['deepLinking'];
  if (messageType === 'LtiResourceLinkRequest') {
    if (!resourceLinkRaw || typeof resourceLinkRaw !== 'object' || !str(resourceLinkRaw.id)) {
      fail('resource_link_missing');
    }
    if (!targetLinkUri) fail('target_link_uri_missing');
  } else {
    deepLinking = claim(payload, CLAIMS.deepLinkingSettings, deepLinkingSettingsSchema);
    if (!deepLinking) fail('deep_linking_settings_missing');
  }
  const roles = payload[CLAIMS.roles];
  if (roles === undefined || roles === null) fail('roles_missing');
  const sub = str(payload.sub);
  if (!sub) fail('sub_missing');
  if (!isStorableId(sub)) fail('claims_invalid', 'sub', { claim: 'sub' });

  const roleList = claim(payload, CLAIMS.roles, rolesClaimSchema) ?? [];
  const launchPresentation = claim(payload, CLAIMS.launchPresentation, launchPresentationClaimSchema);
  return {
    platformId: platform.id,
    issuer: platform.issuer,
    clientId: platform.clientId,
    deploymentId,
    messageType: messageType as SupportedMessageType,
    sub,
    name: str(payload.name),
    givenName: str(payload.given_name),
    familyName: str(payload.family_name),
    email: str(payload.email),
    roles: roleList,
    view: classifyRoles(roleList),
    roleScopeMentor: claim(payload, CLAIMS.roleScopeMentor, roleScopeMentorSchema) ?? [],
    // Only a deep linking request may omit it: then it is the empty string.
    targetLinkUri: targetLinkUri ?? '',
    context: claim(payload, CLAIMS.context, contextClaimSchema),
    resourceLink: claim(payload, CLAIMS.resourceLink, resourceLinkClaimSchema),
    custom: claim(payload, CLAIMS.custom, customClaimSchema) ?? {},
    launchPresentation,
    locale: pickLocale([launchPresentation?.locale, str(payload.locale)], opts.defaultLocale),
    toolPlatform: claim(payload, CLAIMS.toolPlatform, toolPlatformClaimSchema),
    lis: claim(payload, CLAIMS.lis, lisClaimSchema),
    ags: claim(payload, CLAIMS.ags, agsClaimSchema),
    nrps: claim(payload, CLAIMS.nrps, nrpsClaimSchema),
    deepLinking,
    nonce,
    issuedAt: iat,
    expiresAt: exp,
  };
}
