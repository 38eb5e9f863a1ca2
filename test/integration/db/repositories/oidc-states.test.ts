import { createOidcStateRepository } from '../../../../src/db/repositories/oidc-states';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';

function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe.each(testDialects())('OIDC states holding their nonce on %s', (dialect) => {
  let db: TestDb;
  let platformId: string;
  const clock = manualClock();
  const base = {
    platformId: '',
    targetLinkUri: 'http://tool/lti/launch',
    deploymentId: '1',
    loginHint: 'u-1',
    messageHint: null,
    ttlMs: 600_000,
  };

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
    base.platformId = platformId;
  });
  afterAll(() => db.drop());

  it('take returns the nonce issued with the state, once, even to concurrent launches', async () => {
    const states = createOidcStateRepository(db, clock);
    await states.save({ ...base, state: 'st-race', nonce: 'nonce-race', storage: 'cookie' });
    const taken = await Promise.all(Array.from({ length: 6 }, () => states.take('st-race')));
    const winners = taken.filter((t) => t !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ nonce: 'nonce-race', platformId, deploymentId: '1' });
    expect(await states.peek('st-race')).toBeUndefined();
  });

  it('a postMessage proof takes only a postMessage state, and leaves a cookie state for its cookie', async () => {
    const states = createOidcStateRepository(db, clock);
    await states.save({ ...base, state: 'st-cookie', nonce: 'nonce-c', storage: 'cookie' });
    await states.save({ ...base, state: 'st-pm', nonce: 'nonce-pm', storage: 'postmessage' });
    expect(await states.take('st-cookie', { storage: 'postmessage' })).toBeUndefined();
    expect(await states.peek('st-cookie')).toMatchObject({ storage: 'cookie' });
    expect(await states.take('st-cookie')).toMatchObject({ nonce: 'nonce-c' });
    expect(await states.take('st-pm', { storage: 'postmessage' })).toMatchObject({ nonce: 'nonce-pm' });
  });

  it("tells a used state's nonce (a replay) from one never issued or not yet used", async () => {
    const states = createOidcStateRepository(db, clock);
    await states.save({ ...base, state: 'st-used', nonce: 'nonce-used', storage: 'cookie' });
    await states.save({ ...base, state: 'st-fresh', nonce: 'nonce-fresh', storage: 'cookie' });
    await states.take('st-used');
    expect(await states.nonceWasUsed(platformId, 'nonce-used')).toBe(true);
    expect(await states.nonceWasUsed(platformId, 'nonce-fresh')).toBe(false);
    expect(await states.nonceWasUsed(platformId, 'never-issued')).toBe(false);
    expect(await states.nonceWasUsed('another-platform', 'nonce-used')).toBe(false);
  });

  it('an expired state cannot be taken, and expired rows, used or not, are purged', async () => {
    const states = createOidcStateRepository(db, clock);
    await states.save({ ...base, state: 'st-old', nonce: 'nonce-old', storage: 'cookie', ttlMs: 1_000 });
    await states.save({ ...base, state: 'st-old-used', nonce: 'n-ou', storage: 'cookie', ttlMs: 1_000 });
    await states.take('st-old-used');
    clock.advance(1_000);
    expect(await states.take('st-old')).toBeUndefined();
    expect(await states.purgeExpired()).toBe(2);
    expect(await states.nonceWasUsed(platformId, 'n-ou')).toBe(false);
  });
});
