import {
  createLaunchSessionRepository,
  hashLaunchToken,
} from '../../../../src/db/repositories/launch-sessions';
import { createNonceRepository } from '../../../../src/db/repositories/nonces';
import { createOidcStateRepository } from '../../../../src/db/repositories/oidc-states';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { createRegistrationTokenRepository } from '../../../../src/db/repositories/registration-tokens';
import { createToolKeyRepository } from '../../../../src/db/repositories/tool-keys';
import { ToolKeySet } from '../../../../lti/keys';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';

function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe.each(testDialects())('LTI stores on %s', (dialect) => {
  let db: TestDb;
  let platformId: string;
  const clock = manualClock();

  beforeAll(async () => {
    db = await createTestDb(dialect);
    const p = await createPlatformRepository(db, clock).add({
      issuer: 'https://lms.example',
      clientId: 'c1',
      name: 'LMS',
      authEndpoint: 'https://lms.example/auth',
      jwksUri: 'https://lms.example/jwks',
      status: 'active',
      source: 'manual',
      deploymentIds: ['1'],
    });
    platformId = p.id;
  });
  afterAll(() => db.drop());

  describe('nonces', () => {
    it('are consumed exactly once, even by concurrent launches', async () => {
      const nonces = createNonceRepository(db, clock);
      await nonces.save(platformId, 'n-race', clock.now() + 60_000);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => nonces.consume(platformId, 'n-race', clock.now())),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'replayed')).toHaveLength(7);
      expect(await nonces.consume(platformId, 'n-race', clock.now())).toBe('replayed');
    });

    it('refuse an unknown nonce, a nonce of another platform and an expired nonce', async () => {
      const nonces = createNonceRepository(db, clock);
      expect(await nonces.consume(platformId, 'never-issued', clock.now())).toBe('unknown');
      await nonces.save(platformId, 'n-other', clock.now() + 60_000);
      expect(await nonces.consume('another-platform', 'n-other', clock.now())).toBe('unknown');
      await nonces.save(platformId, 'n-old', clock.now() + 1_000);
      clock.advance(1_001);
      expect(await nonces.consume(platformId, 'n-old', clock.now())).toBe('unknown');
      expect(await nonces.purgeExpired()).toBeGreaterThanOrEqual(1);
      expect(await nonces.consume(platformId, 'n-other', clock.now())).toBe('ok');
    });
  });

  describe('OIDC states', () => {
    it('are taken once and expire', async () => {
      const states = createOidcStateRepository(db, clock);
      await states.save({
        state: 's1',
        platformId,
        nonce: 'n1',
        targetLinkUri: 'http://tool/lti/launch',
        deploymentId: '1',
        storage: 'postmessage',
        loginHint: 'u-42',
        messageHint: null,
        ttlMs: 600_000,
      });
      expect(await states.peek('s1')).toMatchObject({ storage: 'postmessage', loginHint: 'u-42' });
      const taken = await Promise.all([states.take('s1'), states.take('s1')]);
      expect(taken.filter((t) => t !== undefined)).toHaveLength(1);
      expect(await states.peek('s1')).toBeUndefined();

      await states.save({ ...taken.find(Boolean)!, state: 's2', ttlMs: 1_000 });
      clock.advance(1_000);
      expect(await states.take('s2')).toBeUndefined();
      expect(await states.purgeExpired()).toBe(1);
    });
  });

  describe('launch sessions', () => {
    it('store only the token hash, find by token, and expire', async () => {
      const sessions = createLaunchSessionRepository(db, clock, { ttlMs: 10_000 });
      const { token, session } = await sessions.create({
        platformId,
        deploymentId: '1',
        userSub: 'u1',
        contextId: 'ctx',
        resourceLinkId: 'rl',
        messageType: 'LtiResourceLinkRequest',
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        locale: 'en',
        launch: { name: 'Ada' },
      });
      expect(token).toMatch(/^[\w-]{43}$/);
      expect(session.id).toBe(hashLaunchToken(token));
      expect(session.id).not.toContain(token);
      const found = await sessions.find(token);
      expect(found).toMatchObject({ userSub: 'u1', roles: session.roles, launch: { name: 'Ada' } });
      expect(await sessions.find(token + 'x')).toBeUndefined();
      clock.advance(10_000);
      expect(await sessions.find(token)).toBeUndefined();
    });

    it('slide their expiry forward when asked to', async () => {
      const sessions = createLaunchSessionRepository(db, clock, { ttlMs: 300_000, sliding: true });
      const { token } = await sessions.create({
        platformId,
        deploymentId: '1',
        userSub: 'u2',
        contextId: null,
        resourceLinkId: null,
        messageType: 'LtiDeepLinkingRequest',
        roles: [],
        locale: 'fr',
        launch: null,
      });
      clock.advance(200_000);
      expect(await sessions.find(token)).toBeDefined();
      clock.advance(200_000);
      expect(await sessions.find(token)).toBeDefined();
    });
  });

  describe('registration tokens', () => {
    it('work for exactly one registration and not after expiry', async () => {
      const tokens = createRegistrationTokenRepository(db, clock);
      const { token } = await tokens.issue({ ttlMs: 60_000, note: 'for the Moodle test site' });
      expect(await tokens.isUsable(token)).toBe(true);
      const results = await Promise.all([tokens.consume(token), tokens.consume(token)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await tokens.isUsable(token)).toBe(false);
      const late = await tokens.issue({ ttlMs: 1_000 });
      clock.advance(1_000);
      expect(await tokens.consume(late.token)).toBe(false);
      expect((await tokens.list()).every((t) => t.tokenHash !== token)).toBe(true);
    });
  });

  describe('tool keys', () => {
    it('round-trip JWKs and apply transitions in one transaction', async () => {
      const keys = createToolKeyRepository(db, clock);
      const base = {
        alg: 'RS256' as const,
        publicJwk: { kty: 'RSA', n: 'x', e: 'AQAB' },
        privateJwk: { kty: 'RSA', d: 'y' },
      };
      await keys.insert({
        ...base,
        kid: 'k1',
        state: 'current',
        activateAfter: null,
        activatedAt: 1,
        retireAfter: null,
        retiredAt: null,
      });
      await keys.insert({
        ...base,
        kid: 'k2',
        state: 'next',
        activateAfter: 5,
        activatedAt: null,
        retireAfter: null,
        retiredAt: null,
      });
      await keys.updateMany([
        { kid: 'k1', patch: { state: 'previous', retireAfter: 99 } },
        { kid: 'k2', patch: { state: 'current', activatedAt: 6 } },
      ]);
      const live = await keys.listLive();
      expect(live.map((k) => [k.kid, k.state])).toEqual([
        ['k1', 'previous'],
        ['k2', 'current'],
      ]);
      expect(live[0]!.publicJwk).toEqual(base.publicJwk);
      await keys.update('k1', { state: 'retired', retiredAt: 100 });
      expect((await keys.listLive()).map((k) => k.kid)).toEqual(['k2']);
      expect(await keys.list()).toHaveLength(2);
    });

    it('serve as the key store of the library key set through a rotation', async () => {
      const store = createToolKeyRepository(db, clock);
      const set = new ToolKeySet({ store, overlapMs: 1_000 });
      const first = await set.ensureKey(clock.now());
      const next = await set.rotate(clock.now());
      expect((await set.publicJwks(clock.now())).keys.map((k) => k.kid)).toEqual([next.kid, first]);
      clock.advance(1_000);
      expect((await set.signingKey(clock.now())).kid).toBe(next.kid);
      expect((await set.publicJwks(clock.now())).keys.map((k) => k.kid)).toEqual([next.kid, first]);
      clock.advance(1_000);
      expect((await set.publicJwks(clock.now())).keys.map((k) => k.kid)).toEqual([next.kid]);
    });
  });
});
