import { compactVerify, decodeProtectedHeader, SignJWT } from 'jose';
import { MemoryKeyStore, PlatformKeyCache, ToolKeySet, type Fetch } from '../../../lti';

const HOUR = 3600_000;
const OVERLAP = 24 * HOUR;

function setup() {
  const store = new MemoryKeyStore();
  const keys = new ToolKeySet({ store, overlapMs: OVERLAP });
  return { store, keys };
}

async function sign(keys: ToolKeySet, now: number): Promise<string> {
  const { kid, alg, privateKey } = await keys.signingKey(now);
  return new SignJWT({ now }).setProtectedHeader({ alg, kid }).sign(privateKey);
}

describe('ToolKeySet', () => {
  test('ensureKey creates one RS256 2048 key on first start, then keeps it', async () => {
    const { store, keys } = setup();
    const kid = await keys.ensureKey(0);
    expect(await keys.ensureKey(1000)).toBe(kid);
    const [record] = await store.list();
    expect(record).toMatchObject({ kid, state: 'current', alg: 'RS256' });
    const jwks = await keys.publicJwks(0);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid, kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(Buffer.from(jwks.keys[0]!.n!, 'base64url').length * 8).toBe(2048);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]).not.toHaveProperty('p');
  });

  test('rotation: next published at once, signing only after the overlap, previous retired after another', async () => {
    const { keys } = setup();
    const first = await keys.ensureKey(0);
    const next = await keys.rotate(HOUR);
    expect(await keys.rotate(2 * HOUR)).toMatchObject({ kid: next.kid });
    const kidsAt = async (t: number) => (await keys.publicJwks(t)).keys.map((k) => k.kid);
    const signerAt = async (t: number) => (await keys.signingKey(t)).kid;

    expect(await kidsAt(HOUR)).toEqual([next.kid, first]);
    expect(await signerAt(HOUR + OVERLAP - 1)).toBe(first);
    expect(await signerAt(HOUR + OVERLAP)).toBe(next.kid);
    expect(await kidsAt(HOUR + OVERLAP)).toEqual([next.kid, first]);
    expect(await kidsAt(HOUR + 2 * OVERLAP - 1)).toEqual([next.kid, first]);
    expect(await kidsAt(HOUR + 2 * OVERLAP)).toEqual([next.kid]);
    expect(await signerAt(HOUR + 2 * OVERLAP)).toBe(next.kid);
  });

  test('never a signature by a key published for less than the overlap, never zero signing keys', async () => {
    const { keys } = setup();
    const firstSeen = new Map<string, number>();
    await keys.ensureKey(0);
    for (let t = 0; t <= 20 * 24 * HOUR; t += 3 * HOUR) {
      if (t % (5 * 24 * HOUR) === 0 && t > 0) await keys.rotate(t);
      for (const k of (await keys.publicJwks(t)).keys) if (!firstSeen.has(k.kid!)) firstSeen.set(k.kid!, t);
      const { kid } = await keys.signingKey(t);
      const published = (await keys.publicJwks(t)).keys.map((k) => k.kid);
      expect(published).toContain(kid);
      // The very first key is the only one allowed to sign without a prior overlap.
      if (firstSeen.get(kid)! > 0) expect(t - firstSeen.get(kid)!).toBeGreaterThanOrEqual(OVERLAP);
    }
    expect(firstSeen.size).toBe(5);
  });

  test('a crash mid-rotation (a next key, no current) still leaves one signing key', async () => {
    const { store, keys } = setup();
    const kid = await keys.ensureKey(0);
    const next = await keys.rotate(0);
    await store.update(kid, { state: 'retired', retiredAt: 1 });
    expect((await keys.signingKey(10)).kid).toBe(next.kid);
  });

  test('a verifier that caches our JWKS like Moodle keeps verifying through a rotation', async () => {
    const { keys } = setup();
    let now = 0;
    let fetches = 0;
    const fetchOurJwks: Fetch = async () => {
      fetches++;
      return Response.json(await keys.publicJwks(now));
    };
    // Moodle: keeps the JWKS and refetches only when a kid is not found.
    const moodle = new PlatformKeyCache({
      fetch: fetchOurJwks,
      clock: { now: () => now },
      defaultTtlMs: 1e12,
    });
    const verify = async (jwt: string) => {
      const { kid } = decodeProtectedHeader(jwt);
      return compactVerify(jwt, await moodle.getKey('https://tool/jwks', kid!, 'RS256'));
    };

    await keys.ensureKey(now);
    await verify(await sign(keys, now));
    now = 2 * HOUR;
    await keys.rotate(now);
    const signedWithOld = await sign(keys, now + OVERLAP - 1);
    const checkOldTokenAt = 2 * HOUR + OVERLAP + HOUR;
    for (; now <= 2 * HOUR + 3 * OVERLAP; now += HOUR) {
      await verify(await sign(keys, now));
      if (now === checkOldTokenAt) {
        // A token signed just before the switch still verifies for a verifier that fetches afterwards.
        const fresh = new PlatformKeyCache({ fetch: fetchOurJwks, clock: { now: () => now } });
        const { kid } = decodeProtectedHeader(signedWithOld);
        const key = await fresh.getKey('https://tool/jwks', kid!, 'RS256');
        await expect(compactVerify(signedWithOld, key)).resolves.toBeTruthy();
      }
    }
    // Moodle fetched twice (first sight, then once when the new kid appeared); the fresh verifier once.
    expect(fetches).toBe(3);
  });
});
