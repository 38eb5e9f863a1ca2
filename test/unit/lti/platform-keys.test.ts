import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { LtiError, PlatformKeyCache, type Fetch } from '../../../lti';

const URI = 'https://lms.example/jwks';

async function key(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' } };
}

/** A JWKS endpoint that counts fetches and whose keys and headers the test changes. */
function endpoint(keys: Array<{ jwk: object }>, headers: Record<string, string> = {}) {
  const state = { keys, headers, calls: 0, delayMs: 0 };
  const fetch: Fetch = async () => {
    state.calls++;
    if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
    return new Response(JSON.stringify({ keys: state.keys.map((k) => k.jwk) }), {
      headers: { 'Content-Type': 'application/json', ...state.headers },
    });
  };
  return { state, fetch };
}

describe('PlatformKeyCache', () => {
  let now = 1_000_000;
  const clock = { now: () => now };
  beforeEach(() => {
    now = 1_000_000;
  });

  test('one fetch for many launches while the kid is cached, and the key verifies', async () => {
    const k1 = await key('k1');
    const { state, fetch } = endpoint([k1]);
    const cache = new PlatformKeyCache({ fetch, clock });
    for (let i = 0; i < 50; i++) await cache.getKey(URI, 'k1', 'RS256');
    expect(state.calls).toBe(1);
    const jwt = await new SignJWT({ a: 1 })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(k1.privateKey);
    const { compactVerify } = await import('jose');
    await expect(compactVerify(jwt, await cache.getKey(URI, 'k1', 'RS256'))).resolves.toBeTruthy();
  });

  test('cachedKey answers from memory only: a key getKey already imported, while its JWKS is fresh', async () => {
    const { state, fetch } = endpoint([await key('k1')], { 'Cache-Control': 'max-age=60' });
    const cache = new PlatformKeyCache({ fetch, clock });
    expect(cache.cachedKey(URI, 'k1', 'RS256')).toBeUndefined();
    const k = await cache.getKey(URI, 'k1', 'RS256');
    expect(cache.cachedKey(URI, 'k1', 'RS256')).toBe(k);
    // Another kid, another algorithm (not imported for it), another uri: not there, and not fetched.
    expect(cache.cachedKey(URI, 'k2', 'RS256')).toBeUndefined();
    expect(cache.cachedKey(URI, 'k1', 'RS384')).toBeUndefined();
    expect(cache.cachedKey('https://other.example/jwks', 'k1', 'RS256')).toBeUndefined();
    now += 60_000;
    expect(cache.cachedKey(URI, 'k1', 'RS256')).toBeUndefined();
    expect(state.calls).toBe(1);
  });

  test('concurrent launches share one in-flight fetch', async () => {
    const { state, fetch } = endpoint([await key('k1')]);
    state.delayMs = 30;
    const cache = new PlatformKeyCache({ fetch, clock });
    await Promise.all(Array.from({ length: 20 }, () => cache.getKey(URI, 'k1', 'RS256')));
    expect(state.calls).toBe(1);
  });

  test('an unknown kid triggers one refetch, which finds a rotated key', async () => {
    const { state, fetch } = endpoint([await key('k1')]);
    const cache = new PlatformKeyCache({ fetch, clock });
    await cache.getKey(URI, 'k1', 'RS256');
    now += 11_000;
    state.keys = [await key('k2'), ...state.keys];
    await expect(cache.getKey(URI, 'k2', 'RS256')).resolves.toBeTruthy();
    expect(state.calls).toBe(2);
  });

  test('concurrent launches signed with a new kid share one refetch and all pass', async () => {
    const { state, fetch } = endpoint([await key('k1')]);
    const cache = new PlatformKeyCache({ fetch, clock });
    await cache.getKey(URI, 'k1', 'RS256');
    state.keys = [await key('k2'), ...state.keys];
    state.delayMs = 30;
    await Promise.all(Array.from({ length: 10 }, () => cache.getKey(URI, 'k2', 'RS256')));
    expect(state.calls).toBe(2);
  });

  test('unknown kids are rate-limited: at most one refetch per 10 s, then kid_unknown', async () => {
    const { state, fetch } = endpoint([await key('k1')]);
    const cache = new PlatformKeyCache({ fetch, clock });
    await cache.getKey(URI, 'k1', 'RS256');
    now += 10_000;
    for (let i = 0; i < 5; i++) {
      await expect(cache.getKey(URI, `ghost-${i}`, 'RS256')).rejects.toMatchObject({ code: 'kid_unknown' });
    }
    expect(state.calls).toBe(2);
    now += 10_000;
    await expect(cache.getKey(URI, 'ghost', 'RS256')).rejects.toBeInstanceOf(LtiError);
    expect(state.calls).toBe(3);
  });

  test('TTL from Cache-Control max-age, default one hour', async () => {
    const a = endpoint([await key('k1')], { 'Cache-Control': 'public, max-age=60' });
    const short = new PlatformKeyCache({ fetch: a.fetch, clock });
    await short.getKey(URI, 'k1', 'RS256');
    now += 59_000;
    await short.getKey(URI, 'k1', 'RS256');
    expect(a.state.calls).toBe(1);
    now += 2_000;
    await short.getKey(URI, 'k1', 'RS256');
    expect(a.state.calls).toBe(2);

    const b = endpoint([await key('k1')]);
    const dflt = new PlatformKeyCache({ fetch: b.fetch, clock });
    await dflt.getKey(URI, 'k1', 'RS256');
    now += 3_599_000;
    await dflt.getKey(URI, 'k1', 'RS256');
    expect(b.state.calls).toBe(1);
    now += 2_000;
    await dflt.getKey(URI, 'k1', 'RS256');
    expect(b.state.calls).toBe(2);
  });

  test('bounded: the oldest uri is evicted beyond maxEntries', async () => {
    const { state, fetch } = endpoint([await key('k1')]);
    const cache = new PlatformKeyCache({ fetch, clock, maxEntries: 2 });
    await cache.getKey('https://a/jwks', 'k1', 'RS256');
    await cache.getKey('https://b/jwks', 'k1', 'RS256');
    await cache.getKey('https://c/jwks', 'k1', 'RS256');
    expect(state.calls).toBe(3);
    await cache.getKey('https://c/jwks', 'k1', 'RS256');
    expect(state.calls).toBe(3);
    await cache.getKey('https://a/jwks', 'k1', 'RS256');
    expect(state.calls).toBe(4);
  });

  test('an unreachable JWKS → jwks_unavailable; keys already trusted survive a failed refresh', async () => {
    const down: Fetch = async () => new Response('nope', { status: 503 });
    await expect(
      new PlatformKeyCache({ fetch: down, clock }).getKey(URI, 'k1', 'RS256'),
    ).rejects.toMatchObject({
      code: 'jwks_unavailable',
    });
    const { fetch } = endpoint([await key('k1')]);
    let up = true;
    const flaky: Fetch = (u, i) => (up ? fetch(u, i) : down(u, i));
    const cache = new PlatformKeyCache({ fetch: flaky, clock });
    await cache.getKey(URI, 'k1', 'RS256');
    up = false;
    now += 3_700_000;
    await expect(cache.getKey(URI, 'k1', 'RS256')).resolves.toBeTruthy();
  });
});
