import crypto from 'node:crypto';
import { z } from 'zod';
import { LtiError } from './errors';
import type { Clock, NonceStore, Platform, PlatformLookup, RandomBytes } from './types';

// No login parameter may hold a NUL character: it is stored, and PostgreSQL refuses it in text.
const text = z.string().refine((v) => !v.includes('\u0000'), 'NUL character');
const nonEmpty = text.trim().min(1);
const optional = text.optional().transform((v) => (v === undefined || v === '' ? undefined : v));

/** Login initiation parameters, from a GET query or a POST form (extra parameters are ignored). */
export const loginParamsSchema = z.object({
  iss: nonEmpty,
  login_hint: text.min(1),
  target_link_uri: nonEmpty,
  lti_message_hint: optional,
  lti_deployment_id: optional,
  client_id: optional,
  lti_storage_target: optional,
});
export type LoginParams = z.infer<typeof loginParamsSchema>;

export interface LoginOptions {
  /** req.query for GET, req.body for POST: anything, validated here. */
  params: unknown;
  platforms: PlatformLookup;
  /**
   * Where the nonce is saved. Omit it when the caller stores the returned `nonce` with the state
   * (one write per login instead of two); the launch then checks it with a StateBoundNonceStore.
   */
  nonces?: NonceStore;
  clock: Clock;
  /** Our launch URL, registered with the platform. */
  redirectUri: string;
  /** Origins target_link_uri may point to; defaults to redirectUri's origin. */
  toolOrigins?: string[];
  /** How long the state and nonce stay valid. Default 10 minutes. */
  ttlMs?: number;
  random?: RandomBytes;
}

/** What the app stores server-side (keyed by state), and where it redirects the browser. */
export interface LoginResult {
  platform: Platform;
  state: string;
  nonce: string;
  targetLinkUri: string;
  /** The login's lti_deployment_id: the launch's deployment_id must then equal it. */
  deploymentId: string | null;
  loginHint: string;
  messageHint: string | null;
  /** Present when the platform offers postMessage storage (Canvas, Brightspace...). */
  storageTarget: string | null;
  createdAt: number;
  expiresAt: number;
  /** The platform's OIDC auth endpoint with every parameter: a 302 Location or a form's action. */
  redirectUrl: string;
}

export const DEFAULT_LOGIN_TTL_MS = 10 * 60_000;

export function randomToken(random: RandomBytes = (n) => crypto.randomBytes(n), bytes = 32): string {
  return Buffer.from(random(bytes)).toString('base64url');
}

function firstValues(params: unknown): unknown {
  // Express gives arrays for repeated query parameters: take the first, like most platforms expect.
  if (!params || typeof params !== 'object') return params;
  return Object.fromEntries(
    Object.entries(params as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
}

/** OIDC third-party initiated login: validate, find the platform, mint state and nonce, build the redirect. */
export async function initiateLogin(opts: LoginOptions): Promise<LoginResult> {
  const parsed = loginParamsSchema.safeParse(firstValues(opts.params));
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? '?')))];
    throw new LtiError('login_invalid', fields.join(', '), { fields });
  }
  const p = parsed.data;

  const found = await opts.platforms.find(p.iss, p.client_id);
  if (found.kind === 'not_found') {
    throw new LtiError('platform_unknown', p.iss, { issuer: p.iss, clientId: p.client_id ?? null });
  }
  if (found.kind === 'ambiguous') {
    throw new LtiError('platform_ambiguous', p.iss, { issuer: p.iss, clientIds: found.clientIds });
  }
  const platform = found.platform;
  if (platform.status !== 'active') {
    throw new LtiError('platform_inactive', p.iss, { issuer: p.iss, clientId: platform.clientId });
  }

  const origins = opts.toolOrigins ?? [new URL(opts.redirectUri).origin];
  if (!isOnOrigins(p.target_link_uri, origins)) {
    throw new LtiError('target_link_uri_foreign', undefined, { targetLinkUri: p.target_link_uri });
  }

  const state = randomToken(opts.random);
  const nonce = randomToken(opts.random);
  const createdAt = opts.clock.now();
  const expiresAt = createdAt + (opts.ttlMs ?? DEFAULT_LOGIN_TTL_MS);
  if (opts.nonces) await opts.nonces.save(platform.id, nonce, expiresAt);

  const url = new URL(platform.authEndpoint);
  const q = url.searchParams;
  q.set('scope', 'openid');
  q.set('response_type', 'id_token');
  q.set('response_mode', 'form_post');
  q.set('prompt', 'none');
  q.set('client_id', platform.clientId);
  q.set('redirect_uri', opts.redirectUri);
  q.set('login_hint', p.login_hint);
  if (p.lti_message_hint !== undefined) q.set('lti_message_hint', p.lti_message_hint);
  q.set('state', state);
  q.set('nonce', nonce);

  return {
    platform,
    state,
    nonce,
    targetLinkUri: p.target_link_uri,
    deploymentId: p.lti_deployment_id ?? null,
    loginHint: p.login_hint,
    messageHint: p.lti_message_hint ?? null,
    storageTarget: p.lti_storage_target ?? null,
    createdAt,
    expiresAt,
    redirectUrl: url.toString(),
  };
}

/** True when `uri` is an absolute http(s) URL on one of `origins` (no open redirect). */
export function isOnOrigins(uri: string, origins: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  if (u.username || u.password) return false;
  return origins.some((o) => {
    try {
      return new URL(o).origin === u.origin;
    } catch {
      return false;
    }
  });
}

/**
 * Constant-time comparison of the state the launch carries with the one this browser proved
 * (cookie or postMessage storage). Throws state_missing / state_mismatch.
 */
export function checkState(received: unknown, expected: string | null | undefined): void {
  if (typeof received !== 'string' || received === '' || !expected) {
    throw new LtiError('state_missing');
  }
  const a = crypto.createHash('sha256').update(received).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  if (!crypto.timingSafeEqual(a, b)) throw new LtiError('state_mismatch');
}
