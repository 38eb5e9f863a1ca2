import { SignJWT } from 'jose';
import { z } from 'zod';
import { SCOPES } from './claims';
import { LtiError } from './errors';
import { randomToken } from './login';
import type { Clock, Fetch, RandomBytes, ToolSigner } from './types';

/** What a service call needs of a platform registration (Platform satisfies it). */
export interface ServicePlatform {
  id: string;
  clientId: string;
  tokenEndpoint: string | null;
  authorizationServer: string | null;
}

/** A service call's outcome, so the outbox knows whether to retry. */
export type ServiceResult<T> =
  | { kind: 'ok'; status: number; value: T }
  | { kind: 'retryable'; status: number | null; retryAfterMs: number | null; message: string }
  | { kind: 'permanent'; status: number; message: string };

// ---------------------------------------------------------------- token

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

export interface TokenClientOptions {
  fetch: Fetch;
  clock: Clock;
  signer: ToolSigner;
  random?: RandomBytes;
  /** Renew this long before the platform's expiry. Default 60 s. */
  renewBeforeMs?: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** OAuth 2 client credentials with a signed client assertion; tokens cached per (platform, scopes). */
export class TokenClient {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly opts: TokenClientOptions) {}

  /**
   * An access token for `requested` scopes, restricted to `granted` (the launch's AGS scope list plus
   * the NRPS scope when the launch had the NRPS claim) when given. Throws scope_not_granted,
   * service_unavailable (no token endpoint) or token_request_failed (with `details.retryable`).
   */
  async getToken(platform: ServicePlatform, requested: string[], granted?: string[]): Promise<string> {
    const scopes = [...new Set(requested.filter((s) => !granted || granted.includes(s)))].sort();
    if (scopes.length === 0) throw new LtiError('scope_not_granted', requested.join(' '));
    const key = `${platform.id}\u0000${scopes.join(' ')}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > this.opts.clock.now()) return hit.token;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.request(platform, scopes)
      .then((t) => {
        this.cache.set(key, t);
        return t.token;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Drop a cached token (after a 401 from a service). */
  forget(platform: ServicePlatform, scopes: string[]): void {
    this.cache.delete(`${platform.id}\u0000${[...new Set(scopes)].sort().join(' ')}`);
  }

  private async request(platform: ServicePlatform, scopes: string[]): Promise<CachedToken> {
    if (!platform.tokenEndpoint) throw new LtiError('service_unavailable', 'no token endpoint');
    const now = this.opts.clock.now();
    const iat = Math.floor(now / 1000);
    const { kid, alg, privateKey } = await this.opts.signer.signingKey(now);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(platform.clientId)
      .setSubject(platform.clientId)
      .setAudience(platform.authorizationServer ?? platform.tokenEndpoint)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomToken(this.opts.random, 24))
      .sign(privateKey);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: scopes.join(' '),
    });
    let res: Response;
    try {
      res = await this.opts.fetch(platform.tokenEndpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
      });
    } catch (err) {
      throw new LtiError('token_request_failed', (err as Error).message, { retryable: true, status: null });
    }
    const text = await res.text();
    if (!res.ok) {
      throw new LtiError('token_request_failed', `HTTP ${res.status}: ${text.slice(0, 300)}`, {
        retryable: isRetryableStatus(res.status),
        status: res.status,
        retryAfterMs: retryAfterMs(res, this.opts.clock.now()),
      });
    }
    let parsed;
    try {
      parsed = tokenResponseSchema.parse(JSON.parse(text));
    } catch {
      throw new LtiError('token_request_failed', 'unexpected token response', {
        retryable: false,
        status: 200,
      });
    }
    const lifetimeMs = (parsed.expires_in ?? 3600) * 1000;
    const renew = Math.min(this.opts.renewBeforeMs ?? 60_000, lifetimeMs / 2);
    return { token: parsed.access_token, expiresAt: now + lifetimeMs - renew };
  }
}

// ---------------------------------------------------------------- shared HTTP helpers

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function retryAfterMs(res: Response, now: number): number | null {
  const h = res.headers.get('retry-after');
  if (!h) return null;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const date = Date.parse(h);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** `Link: <url>; rel="next"` → url. */
export function nextLink(res: Response): string | null {
  const link = res.headers.get('link');
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2] ?? '')) return m[1] ?? null;
  }
  return null;
}

/** `{lineitem}/scores` keeping the query string (Moodle's ?type_id=N). */
export function scoresUrl(lineItemUrl: string): string {
  const u = new URL(lineItemUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/scores`;
  return u.toString();
}

interface CallOptions {
  platform: ServicePlatform;
  scopes: string[];
  granted?: string[];
  method?: string;
  url: string;
  accept: string;
  contentType?: string;
  body?: unknown;
}

interface RawResult {
  res: Response;
  text: string;
}

export interface ServiceClientOptions {
  tokens: TokenClient;
  fetch: Fetch;
  clock: Clock;
}

abstract class BearerClient {
  constructor(protected readonly opts: ServiceClientOptions) {}

  /** One authenticated call; a 401 drops the cached token and retries once with a fresh one. */
  protected async call(c: CallOptions): Promise<ServiceResult<RawResult>> {
    for (let attempt = 0; ; attempt++) {
      let token: string;
      try {
        token = await this.opts.tokens.getToken(c.platform, c.scopes, c.granted);
      } catch (err) {
        if (err instanceof LtiError && err.code === 'token_request_failed' && err.details.retryable) {
          return {
            kind: 'retryable',
            status: (err.details.status as number | null) ?? null,
            retryAfterMs: (err.details.retryAfterMs as number | null) ?? null,
            message: err.message,
          };
        }
        if (err instanceof LtiError) return { kind: 'permanent', status: err.status, message: err.message };
        throw err;
      }
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: c.accept };
      if (c.contentType) headers['Content-Type'] = c.contentType;
      let res: Response;
      try {
        res = await this.opts.fetch(c.url, {
          method: c.method ?? 'GET',
          headers,
          body: c.body === undefined ? undefined : JSON.stringify(c.body),
        });
      } catch (err) {
        return { kind: 'retryable', status: null, retryAfterMs: null, message: (err as Error).message };
      }
      const text = await res.text();
      if (res.status === 401 && attempt === 0) {
        this.opts.tokens.forget(
          c.platform,
          c.scopes.filter((s) => !c.granted || c.granted.includes(s)),
        );
        continue;
      }
      if (res.status >= 200 && res.status < 300)
        return { kind: 'ok', status: res.status, value: { res, text } };
      const message = platformMessage(text) ?? `HTTP ${res.status}`;
      if (isRetryableStatus(res.status)) {
        return {
          kind: 'retryable',
          status: res.status,
          retryAfterMs: retryAfterMs(res, this.opts.clock.now()),
          message,
        };
      }
      return { kind: 'permanent', status: res.status, message };
    }
  }

  protected parse<S extends z.ZodType>(
    r: ServiceResult<RawResult>,
    schema: S,
  ): ServiceResult<{ value: z.infer<S>; res: Response }> {
    if (r.kind !== 'ok') return r;
    try {
      return {
        kind: 'ok',
        status: r.status,
        value: { value: schema.parse(JSON.parse(r.value.text)), res: r.value.res },
      };
    } catch {
      return { kind: 'permanent', status: r.status, message: 'unexpected response body' };
    }
  }
}

function platformMessage(text: string): string | null {
  if (!text) return null;
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    for (const k of ['reason', 'message', 'error_description', 'error']) {
      if (typeof j[k] === 'string') return j[k];
    }
  } catch {
    /* not JSON: use the text itself */
  }
  return text.slice(0, 300);
}

// ---------------------------------------------------------------- AGS

export const AGS_MEDIA = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

export const lineItemSchema = z.looseObject({
  id: z.string().optional(),
  scoreMaximum: z.coerce.number().positive(),
  label: z.string(),
  resourceId: z.string().optional(),
  resourceLinkId: z.string().optional(),
  tag: z.string().optional(),
  startDateTime: z.string().optional(),
  endDateTime: z.string().optional(),
  gradesReleased: z.boolean().optional(),
});
export type LineItem = z.infer<typeof lineItemSchema>;
export type NewLineItem = Omit<LineItem, 'id'>;

const isoWithMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,}(Z|[+-]\d{2}:\d{2})$/;
export const scoreSchema = z
  .object({
    userId: z.string().min(1),
    timestamp: z.string().regex(isoWithMillis, 'ISO 8601 with milliseconds'),
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
    scoreGiven: z.number().min(0).optional(),
    scoreMaximum: z.number().positive().optional(),
    comment: z.string().optional(),
    submission: z.object({ startedAt: z.string().optional(), submittedAt: z.string().optional() }).optional(),
  })
  .refine((s) => s.scoreGiven === undefined || s.scoreMaximum !== undefined, {
    message: 'scoreGiven requires scoreMaximum',
    path: ['scoreMaximum'],
  });
export type Score = z.infer<typeof scoreSchema>;

export interface LineItemQuery {
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  limit?: number;
  /** Safety bound on Link rel="next" pages. Default 100. */
  maxPages?: number;
}

export class AgsClient extends BearerClient {
  /** Every line item of the container (following rel="next"), filtered by the query. */
  async listLineItems(
    platform: ServicePlatform,
    lineItemsUrl: string,
    query: LineItemQuery = {},
    granted?: string[],
  ): Promise<ServiceResult<LineItem[]>> {
    const u = new URL(lineItemsUrl);
    if (query.resourceLinkId) u.searchParams.set('resource_link_id', query.resourceLinkId);
    if (query.resourceId) u.searchParams.set('resource_id', query.resourceId);
    if (query.tag) u.searchParams.set('tag', query.tag);
    if (query.limit) u.searchParams.set('limit', String(query.limit));
    const items: LineItem[] = [];
    let url: string | null = u.toString();
    let status = 200;
    for (let page = 0; url && page < (query.maxPages ?? 100); page++) {
      const r = this.parse(
        await this.call({
          platform,
          scopes: [SCOPES.lineItem, SCOPES.lineItemReadOnly],
          granted,
          url,
          accept: AGS_MEDIA.lineItemContainer,
        }),
        z.array(lineItemSchema),
      );
      if (r.kind !== 'ok') return r;
      status = r.status;
      items.push(...r.value.value);
      url = nextLink(r.value.res);
    }
    return { kind: 'ok', status, value: items };
  }

  async createLineItem(
    platform: ServicePlatform,
    lineItemsUrl: string,
    item: NewLineItem,
    granted?: string[],
  ): Promise<ServiceResult<LineItem>> {
    const body = lineItemSchema.omit({ id: true }).parse(item);
    const r = this.parse(
      await this.call({
        platform,
        scopes: [SCOPES.lineItem],
        granted,
        method: 'POST',
        url: lineItemsUrl,
        accept: AGS_MEDIA.lineItem,
        contentType: AGS_MEDIA.lineItem,
        body,
      }),
      lineItemSchema,
    );
    return r.kind === 'ok' ? { ...r, value: r.value.value } : r;
  }

  async getLineItem(
    platform: ServicePlatform,
    lineItemUrl: string,
    granted?: string[],
  ): Promise<ServiceResult<LineItem>> {
    const r = this.parse(
      await this.call({
        platform,
        scopes: [SCOPES.lineItem, SCOPES.lineItemReadOnly],
        granted,
        url: lineItemUrl,
        accept: AGS_MEDIA.lineItem,
      }),
      lineItemSchema,
    );
    return r.kind === 'ok' ? { ...r, value: r.value.value } : r;
  }

  /**
   * PUT the line item: the platform's copy becomes `item` (label, maximum, tag, dates...). AGS asks
   * for the whole line item, its id included, so read it first to change one field.
   */
  async updateLineItem(
    platform: ServicePlatform,
    lineItemUrl: string,
    item: NewLineItem,
    granted?: string[],
  ): Promise<ServiceResult<LineItem>> {
    const body = { ...lineItemSchema.omit({ id: true }).parse(item), id: lineItemUrl };
    const r = this.parse(
      await this.call({
        platform,
        scopes: [SCOPES.lineItem],
        granted,
        method: 'PUT',
        url: lineItemUrl,
        accept: AGS_MEDIA.lineItem,
        contentType: AGS_MEDIA.lineItem,
        body,
      }),
      lineItemSchema,
    );
    return r.kind === 'ok' ? { ...r, value: r.value.value } : r;
  }

  /** DELETE the line item (and, on the platform, its column and results). */
  async deleteLineItem(
    platform: ServicePlatform,
    lineItemUrl: string,
    granted?: string[],
  ): Promise<ServiceResult<null>> {
    const r = await this.call({
      platform,
      scopes: [SCOPES.lineItem],
      granted,
      method: 'DELETE',
      url: lineItemUrl,
      accept: AGS_MEDIA.lineItem,
    });
    return r.kind === 'ok' ? { kind: 'ok', status: r.status, value: null } : r;
  }

  /** POST a score to `{lineitem}/scores`. Throws score_invalid before any network call. */
  async postScore(
    platform: ServicePlatform,
    lineItemUrl: string,
    score: Score,
    granted?: string[],
  ): Promise<ServiceResult<null>> {
    const parsed = scoreSchema.safeParse(score);
    if (!parsed.success) {
      throw new LtiError('score_invalid', parsed.error.issues.map((i) => i.message).join('; '));
    }
    const r = await this.call({
      platform,
      scopes: [SCOPES.score],
      granted,
      method: 'POST',
      url: scoresUrl(lineItemUrl),
      accept: 'application/json',
      contentType: AGS_MEDIA.score,
      body: parsed.data,
    });
    return r.kind === 'ok' ? { kind: 'ok', status: r.status, value: null } : r;
  }
}

// ---------------------------------------------------------------- NRPS

export const NRPS_MEDIA = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

export const memberSchema = z.looseObject({
  user_id: z.string().min(1),
  roles: z.array(z.string()).default([]),
  status: z.enum(['Active', 'Inactive', 'Deleted']).optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  lis_person_sourcedid: z.string().optional(),
  picture: z.string().optional(),
});
export type Member = z.infer<typeof memberSchema>;

const membershipContainerSchema = z.looseObject({
  id: z.string().optional(),
  context: z
    .looseObject({ id: z.string(), label: z.string().optional(), title: z.string().optional() })
    .optional(),
  members: z.array(memberSchema),
});

export interface Roster {
  context?: { id: string; label?: string; title?: string };
  members: Member[];
}

export class NrpsClient extends BearerClient {
  /** Every member, following rel="next". `role` filters on the platform side when it supports it. */
  async members(
    platform: ServicePlatform,
    contextMembershipsUrl: string,
    opts: { role?: string; limit?: number; maxPages?: number; granted?: string[] } = {},
  ): Promise<ServiceResult<Roster>> {
    const u = new URL(contextMembershipsUrl);
    if (opts.role) u.searchParams.set('role', opts.role);
    if (opts.limit) u.searchParams.set('limit', String(opts.limit));
    let url: string | null = u.toString();
    const roster: Roster = { members: [] };
    let status = 200;
    for (let page = 0; url && page < (opts.maxPages ?? 1000); page++) {
      const r = this.parse(
        await this.call({ platform, scopes: [SCOPES.nrps], granted: opts.granted, url, accept: NRPS_MEDIA }),
        membershipContainerSchema,
      );
      if (r.kind !== 'ok') return r;
      status = r.status;
      roster.context ??= r.value.value.context;
      roster.members.push(...r.value.value.members);
      url = nextLink(r.value.res);
    }
    return { kind: 'ok', status, value: roster };
  }
}
