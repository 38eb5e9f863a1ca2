import type { FindPlatformResult, PlatformRecord } from '../../../../src/db/repositories/platforms';
import { cachedPlatformLookup, type PlatformSource } from '../../../../src/web/lti/platform-cache';

function record(over: Partial<PlatformRecord> = {}): PlatformRecord {
  return {
    id: 'p1',
    issuer: 'https://lms.example',
    clientId: 'c1',
    name: 'LMS',
    authEndpoint: 'https://lms.example/auth',
    tokenEndpoint: null,
    authorizationServer: null,
    jwksUri: 'https://lms.example/jwks',
    status: 'active',
    source: 'manual',
    registration: null,
    deploymentIds: ['1'],
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

/** A source over one mutable record that counts its reads, as the repository's queries would. */
function source(initial: PlatformRecord) {
  let current = initial;
  const reads = { find: 0, findById: 0 };
  const src: PlatformSource = {
    async find(issuer, clientId): Promise<FindPlatformResult> {
      reads.find++;
      if (issuer !== current.issuer || (clientId !== undefined && clientId !== current.clientId)) {
        return { kind: 'not_found' };
      }
      return { kind: 'found', platform: { ...current } };
    },
    async findById(id) {
      reads.findById++;
      return id === current.id ? { ...current } : undefined;
    },
  };
  return { src, reads, set: (r: PlatformRecord) => (current = r) };
}

describe('cachedPlatformLookup (login and launch platform reads)', () => {
  let now = 1_000_000;
  const clock = { now: () => now };

  it('reads an active platform once per TTL, whichever key it is asked by', async () => {
    const s = source(record());
    const cache = cachedPlatformLookup(s.src, clock, { ttlMs: 5_000 });
    for (let i = 0; i < 3; i++) {
      expect((await cache.findById('p1'))?.clientId).toBe('c1');
      expect(await cache.find('https://lms.example', 'c1')).toMatchObject({ kind: 'found' });
    }
    expect(s.reads).toEqual({ find: 0, findById: 1 });
    now += 5_000;
    await cache.find('https://lms.example', 'c1');
    await cache.findById('p1');
    expect(s.reads).toEqual({ find: 1, findById: 1 });
  });

  it('`cached` answers from memory only: what a login or a launch read, within the TTL', async () => {
    const s = source(record());
    const cache = cachedPlatformLookup(s.src, clock, { ttlMs: 5_000 });
    expect(cache.cached('https://lms.example', 'c1')).toBeUndefined();
    await cache.find('https://lms.example', 'c1');
    expect(cache.cached('https://lms.example', 'c1')?.id).toBe('p1');
    expect(cache.cached('https://lms.example', 'c2')).toBeUndefined();
    expect(cache.cached('https://other.example', 'c1')).toBeUndefined();
    now += 5_000;
    expect(cache.cached('https://lms.example', 'c1')).toBeUndefined();
    await cache.findById('p1');
    expect(cache.cached('https://lms.example', 'c1')?.id).toBe('p1');
    expect(s.reads).toEqual({ find: 1, findById: 1 });
  });

  it('sees a deactivation within the TTL and an activation at once', async () => {
    const s = source(record());
    const cache = cachedPlatformLookup(s.src, clock, { ttlMs: 5_000 });
    await cache.findById('p1');
    s.set(record({ status: 'disabled' }));
    expect((await cache.findById('p1'))?.status).toBe('active');
    now += 5_000;
    expect((await cache.findById('p1'))?.status).toBe('disabled');
    // Not active: never cached, so the activation shows at the next read.
    s.set(record({ status: 'active' }));
    expect((await cache.findById('p1'))?.status).toBe('active');
  });

  it('a read that sees a platform inactive ends its cached copies under both keys', async () => {
    const s = source(record());
    const cache = cachedPlatformLookup(s.src, clock, { ttlMs: 5_000 });
    await cache.find('https://lms.example', 'c1');
    expect(cache.cached('https://lms.example', 'c1')).toBeDefined();
    s.set(record({ status: 'disabled' }));
    // A login without client id always reads: it sees the deactivation.
    await cache.find('https://lms.example');
    expect(cache.cached('https://lms.example', 'c1')).toBeUndefined();
    expect((await cache.findById('p1'))?.status).toBe('disabled');
  });

  it('never caches a miss, a login without client id, or anything when the TTL is 0', async () => {
    const s = source(record());
    const cache = cachedPlatformLookup(s.src, clock, { ttlMs: 5_000 });
    expect(await cache.findById('nope')).toBeUndefined();
    expect(await cache.findById('nope')).toBeUndefined();
    expect(await cache.find('https://other.example', 'c1')).toEqual({ kind: 'not_found' });
    expect(await cache.find('https://other.example', 'c1')).toEqual({ kind: 'not_found' });
    await cache.find('https://lms.example');
    await cache.find('https://lms.example');
    expect(s.reads).toEqual({ find: 4, findById: 2 });

    const off = source(record());
    const uncached = cachedPlatformLookup(off.src, clock, { ttlMs: 0 });
    await uncached.findById('p1');
    await uncached.findById('p1');
    expect(off.reads.findById).toBe(2);
  });
});
