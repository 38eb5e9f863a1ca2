import {
  createLaunchSessionRepository,
  type NewLaunchSession,
} from '../../../../src/db/repositories/launch-sessions';
import { createOidcStateRepository } from '../../../../src/db/repositories/oidc-states';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';

function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/**
 * The usual launch's only write: the login's state taken and the session opened together. The state
 * is taken only when everything the launch brings matches what the login stored; otherwise nothing
 * is written at all, so the careful path can still take the state and name the exact refusal.
 */
describe.each(testDialects())('a session opened by taking the login state, on %s', (dialect) => {
  let db: TestDb;
  let platformId: string;
  let otherPlatformId: string;
  const clock = manualClock();
  let n = 0;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    const platforms = createPlatformRepository(db, clock);
    const common = { status: 'active' as const, source: 'manual' as const, deploymentIds: ['1', '2'] };
    platformId = (
      await platforms.add({
        ...common,
        issuer: 'https://lms.example',
        clientId: 'c1',
        name: 'LMS',
        authEndpoint: 'https://lms.example/auth',
        jwksUri: 'https://lms.example/jwks',
      })
    ).id;
    otherPlatformId = (
      await platforms.add({
        ...common,
        issuer: 'https://other.example',
        clientId: 'c9',
        name: 'Other',
        authEndpoint: 'https://other.example/auth',
        jwksUri: 'https://other.example/jwks',
      })
    ).id;
  });
  afterAll(() => db.drop());

  /** A login's state as the login handler saves it; a fresh state and nonce per call. */
  async function login(
    opts: { deploymentId?: string | null; storage?: 'cookie' | 'postmessage'; ttlMs?: number } = {},
  ) {
    n++;
    const record = {
      state: `st-${n}`,
      nonce: `nonce-${n}`,
      platformId,
      targetLinkUri: 'http://tool/lti/launch',
      deploymentId: opts.deploymentId === undefined ? '1' : opts.deploymentId,
      storage: opts.storage ?? 'cookie',
      loginHint: 'u-1',
      messageHint: null,
      ttlMs: opts.ttlMs ?? 600_000,
    };
    await createOidcStateRepository(db, clock).save(record);
    return record;
  }

  const session = (over: Partial<NewLaunchSession> = {}): NewLaunchSession => ({
    platformId,
    deploymentId: '1',
    userSub: 'learner-1',
    contextId: 'course-1',
    resourceLinkId: 'link-1',
    messageType: 'LtiResourceLinkRequest',
    roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    locale: 'fr',
    launch: { custom: { activity: 'module:x' } },
    ...over,
  });

  const sessions = () => createLaunchSessionRepository(db, clock, { ttlMs: 3_600_000 });
  const states = () => createOidcStateRepository(db, clock);
  const sessionCount = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('launch_sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('takes a matching state once and opens one session, even for concurrent launches', async () => {
    const s = await login();
    const before = await sessionCount();
    const opened = await Promise.all(
      Array.from({ length: 6 }, () =>
        sessions().createTakingState({ state: s.state, nonce: s.nonce, storage: 'cookie' }, session()),
      ),
    );
    const winners = opened.filter((o) => o !== undefined);
    expect(winners).toHaveLength(1);
    expect(await sessionCount()).toBe(before + 1);
    // The session is the one stored, found by its token, and the state is used up.
    const found = await sessions().find(winners[0]!.token);
    expect(found).toMatchObject({
      platformId,
      deploymentId: '1',
      userSub: 'learner-1',
      contextId: 'course-1',
    });
    expect(found!.launch).toEqual({ custom: { activity: 'module:x' } });
    expect(await states().peek(s.state)).toBeUndefined();
    expect(await states().nonceWasUsed(platformId, s.nonce)).toBe(true);
  });

  // Each refusal writes nothing: the state stays untaken and no session appears.
  it.each<[string, (s: Awaited<ReturnType<typeof login>>) => Promise<unknown>]>([
    [
      'another nonce',
      (s) => sessions().createTakingState({ state: s.state, nonce: 'forged', storage: 'cookie' }, session()),
    ],
    [
      'an unknown state',
      (s) =>
        sessions().createTakingState({ state: `${s.state}x`, nonce: s.nonce, storage: 'cookie' }, session()),
    ],
    [
      'a token of another platform',
      (s) =>
        sessions().createTakingState(
          { state: s.state, nonce: s.nonce, storage: 'cookie' },
          session({ platformId: otherPlatformId }),
        ),
    ],
    [
      'a deployment other than the login named',
      (s) =>
        sessions().createTakingState(
          { state: s.state, nonce: s.nonce, storage: 'cookie' },
          session({ deploymentId: '2' }),
        ),
    ],
    [
      'a postMessage proof of a cookie-mode state',
      (s) =>
        sessions().createTakingState({ state: s.state, nonce: s.nonce, storage: 'postmessage' }, session()),
    ],
  ])('refuses %s and writes nothing', async (_, attempt) => {
    const s = await login();
    const before = await sessionCount();
    expect(await attempt(s)).toBeUndefined();
    expect(await sessionCount()).toBe(before);
    expect(await states().peek(s.state)).toMatchObject({ nonce: s.nonce });
    expect(await states().nonceWasUsed(platformId, s.nonce)).toBe(false);
  });

  it('refuses a used or an expired state', async () => {
    const used = await login();
    expect(
      await sessions().createTakingState(
        { state: used.state, nonce: used.nonce, storage: 'cookie' },
        session(),
      ),
    ).toBeDefined();
    expect(
      await sessions().createTakingState(
        { state: used.state, nonce: used.nonce, storage: 'cookie' },
        session(),
      ),
    ).toBeUndefined();
    const old = await login({ ttlMs: 1_000 });
    clock.advance(1_000);
    const before = await sessionCount();
    expect(
      await sessions().createTakingState(
        { state: old.state, nonce: old.nonce, storage: 'cookie' },
        session(),
      ),
    ).toBeUndefined();
    expect(await sessionCount()).toBe(before);
  });

  it('a login without a deployment id accepts any deployment; a postMessage state any proof', async () => {
    const open = await login({ deploymentId: null });
    expect(
      await sessions().createTakingState(
        { state: open.state, nonce: open.nonce, storage: 'cookie' },
        session({ deploymentId: '2' }),
      ),
    ).toBeDefined();
    const pm = await login({ storage: 'postmessage' });
    expect(
      await sessions().createTakingState(
        { state: pm.state, nonce: pm.nonce, storage: 'postmessage' },
        session(),
      ),
    ).toBeDefined();
    const pmByCookie = await login({ storage: 'postmessage' });
    expect(
      await sessions().createTakingState(
        { state: pmByCookie.state, nonce: pmByCookie.nonce, storage: 'cookie' },
        session(),
      ),
    ).toBeDefined();
  });
});
