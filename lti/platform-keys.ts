import { importJWK, type JWK, type KeyLike } from 'jose';
import { z } from 'zod';
import { LtiError } from './errors';
import type { Clock, Fetch } from './types';

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })),
});

interface Entry {
  keys: Map<string, JWK>;
  imported: Map<string, KeyLike>;
  expiresAt: number;
  /** Last refetch caused by an unknown kid: the rate limit counts these only. */
  refetchedAt: number | null;
}

export interface PlatformKeyCacheOptions {
  fetch: Fetch;
  clock: Clock;
  /** When the platform sends no Cache-Control max-age. */
  defaultTtlMs?: number;
  /** Upper bound of a max-age, so a platform cannot pin a key for a year. */
  maxTtlMs?: number;
  /** At most one refetch per uri in this window when a kid is unknown. */
  refetchIntervalMs?: number;
  /** Bounded: the least recently fetched uris are dropped first. */
  maxEntries?: number;
}

/**
 * Platforms' JWKS, cached per jwks_uri. A launch costs no fetch while its kid is cached; an unknown kid
 * triggers one refetch (rate-limited, shared by concurrent launches) before failing with kid_unknown.
 */
export class PlatformKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private readonly fetch: Fetch;
  private readonly clock: Clock;
  private readonly defaultTtlMs: number;
  private readonly maxTtlMs: number;
  private readonly refetchIntervalMs: number;
  private readonly maxEntries: number;

  constructor(opts: PlatformKeyCacheOptions) {
    this.fetch = opts.fetch;
    this.clock = opts.clock;
    this.defaultTtlMs = opts.defaultTtlMs ?? 3600_000;
    this.maxTtlMs = opts.maxTtlMs ?? 24 * 3600_000;
    this.refetchIntervalMs = opts.refetchIntervalMs ?? 10_000;
    this.maxEntries = opts.maxEntries ?? 500;
  }

  /** The verification key for `kid` published at `jwksUri`. Throws kid_unknown or jwks_unavailable. */
  async getKey(jwksUri: string, kid: string, alg: string): Promise<KeyLike | Uint8Array> {
    const now = this.clock.now();
    let entry = this.entries.get(jwksUri);
    if (!entry || entry.expiresAt <= now) {
      entry = await this.load(jwksUri, entry);
    } else if (!entry.keys.has(kid)) {
      // Concurrent launches with the new kid wait for the same refetch rather than fail.
      const running = this.inflight.get(jwksUri);
      if (running) {
        entry = await running;
      } else if (entry.refetchedAt === null || now - entry.refetchedAt >= this.refetchIntervalMs) {
        entry.refetchedAt = now;
        entry = await this.load(jwksUri, entry);
        entry.refetchedAt = now;
      }
    }
    const jwk = entry.keys.get(kid);
    if (!jwk) throw new LtiError('kid_unknown', kid, { kid });
    const cacheKey = `${kid}\u0000${alg}`;
    let key = entry.imported.get(cacheKey);
    if (!key) {
      try {
        key = (await importJWK({ ...jwk, alg: jwk.alg ?? alg }, alg)) as KeyLike;
      } catch {
        throw new LtiError('kid_unknown', `key ${kid} does not suit ${alg}`, { kid });
      }
      entry.imported.set(cacheKey, key);
    }
    return key;
  }

  /**
   * The key for `kid` only if it is already here, fresh and imported for `alg`: never fetches, never
   * waits. For a caller that must not let an unauthenticated request cause a fetch (it falls back to
   * `getKey` once it has checked something the request could not forge).
   */
  cachedKey(jwksUri: string, kid: string, alg: string): KeyLike | undefined {
    const entry = this.entries.get(jwksUri);
    if (!entry || entry.expiresAt <= this.clock.now()) return undefined;
    return entry.imported.get(`${kid}\u0000${alg}`);
  }

  /** Forget a uri (after an admin edits a registration). */
  invalidate(jwksUri: string): void {
    this.entries.delete(jwksUri);
  }

  private load(jwksUri: string, stale: Entry | undefined): Promise<Entry> {
    const running = this.inflight.get(jwksUri);
    if (running) return running;
    const p = this.fetchEntry(jwksUri, stale).finally(() => this.inflight.delete(jwksUri));
    this.inflight.set(jwksUri, p);
    return p;
  }

  private async fetchEntry(jwksUri: string, stale: Entry | undefined): Promise<Entry> {
    let body: unknown;
    let ttl = this.defaultTtlMs;
    try {
      const res = await this.fetch(jwksUri, { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = await res.json();
      const maxAge = /(?:^|,)\s*max-age=(\d+)/i.exec(res.headers.get('cache-control') ?? '');
      if (maxAge) ttl = Math.min(Number(maxAge[1]) * 1000, this.maxTtlMs);
    } catch (err) {
      // A failed refetch must not throw away keys we still trust.
      if (stale) {
        return stale;
      }
      throw new LtiError('jwks_unavailable', `${jwksUri}: ${(err as Error).message}`);
    }
    const parsed = jwksSchema.safeParse(body);
    if (!parsed.success) {
      if (stale) return stale;
      throw new LtiError('jwks_unavailable', `${jwksUri}: not a JWKS`);
    }
    const keys = new Map<string, JWK>();
    for (const k of parsed.data.keys) if (k.kid) keys.set(k.kid, k as JWK);
    const now = this.clock.now();
    const entry: Entry = { keys, imported: new Map(), expiresAt: now + ttl, refetchedAt: null };
    this.entries.delete(jwksUri);
    this.entries.set(jwksUri, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }
}
