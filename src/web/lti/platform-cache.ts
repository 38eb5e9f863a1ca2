import type { Platform, PlatformLookup, PlatformLookupResult } from '../../../lti';
import type { Clock } from '../../clock';
import type { FindPlatformResult, PlatformRecord } from '../../db/repositories/platforms';

/** What the cache reads through: the platform repository satisfies it. */
export interface PlatformSource {
  find(issuer: string, clientId?: string): Promise<FindPlatformResult>;
  findById(id: string): Promise<PlatformRecord | undefined>;
}

export interface LaunchPlatforms extends PlatformLookup {
  findById(id: string): Promise<Platform | undefined>;
  /** The active platform registered as (issuer, client id), only if cached now: no query, ever. */
  cached(issuer: string, clientId: string): Platform | undefined;
}

/**
 * The platform lookups of login and launch, cached for a few seconds: each costs two queries (the
 * platform and its deployments), and a launch would otherwise pay four for a record that changes
 * when an administrator edits it. Only active platforms are cached, so an activation (or a newly
 * registered platform) is seen at once; a deactivation or a new deployment id takes effect within
 * `ttlMs` (5 s by default, like the frame-ancestors list). `ttlMs` 0 disables the cache.
 */
export function cachedPlatformLookup(
  source: PlatformSource,
  clock: Clock,
  opts: { ttlMs?: number; maxEntries?: number } = {},
): LaunchPlatforms {
  const ttlMs = opts.ttlMs ?? 5_000;
  const maxEntries = opts.maxEntries ?? 1_000;
  const byId = new Map<string, { platform: PlatformRecord; until: number }>();
  const byKey = new Map<string, { platform: PlatformRecord; until: number }>();

  const keyOf = (issuer: string, clientId: string) => `${issuer}\u0000${clientId}`;
  // A record read by either key is cached under both: the launch's `cached` finds what its login (or
  // an earlier launch's careful path) read.
  function remember(platform: PlatformRecord): void {
    if (platform.status !== 'active') {
      // A read that sees it inactive ends the cached copies at once, whichever key they are under.
      byId.delete(platform.id);
      byKey.delete(keyOf(platform.issuer, platform.clientId));
      return;
    }
    if (ttlMs <= 0) return;
    // A crude bound: registrations are few, this only guards against unbounded growth.
    if (byId.size >= maxEntries) byId.clear();
    if (byKey.size >= maxEntries) byKey.clear();
    const entry = { platform, until: clock.now() + ttlMs };
    byId.set(platform.id, entry);
    byKey.set(keyOf(platform.issuer, platform.clientId), entry);
  }
  function fresh(map: typeof byId, key: string): PlatformRecord | undefined {
    const hit = map.get(key);
    if (hit && hit.until > clock.now()) return hit.platform;
    if (hit) map.delete(key);
    return undefined;
  }

  return {
    async find(issuer: string, clientId?: string): Promise<PlatformLookupResult> {
      // Without a client id the answer depends on how many registrations the issuer holds: not cached.
      const key = clientId === undefined ? undefined : keyOf(issuer, clientId);
      const hit = key === undefined ? undefined : fresh(byKey, key);
      if (hit) return { kind: 'found', platform: hit };
      const found = await source.find(issuer, clientId);
      if (found.kind === 'found') remember(found.platform);
      return found;
    },

    async findById(id: string): Promise<Platform | undefined> {
      const hit = fresh(byId, id);
      if (hit) return hit;
      const platform = await source.findById(id);
      if (platform) remember(platform);
      return platform;
    },

    cached(issuer: string, clientId: string): Platform | undefined {
      return fresh(byKey, keyOf(issuer, clientId));
    },
  };
}
