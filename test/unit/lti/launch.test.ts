import {
  ALLOWED_ALGS,
  CLAIMS,
  LtiError,
  MemoryNonceStore,
  PlatformKeyCache,
  verifyLaunch,
  type LtiErrorCode,
  type Platform,
} from '../../../lti';
import {
  startPlatform,
  USERS,
  type SimulatedPlatform,
  type SimUser,
  type LaunchOptions,
} from '../../support/platform';

let sim: SimulatedPlatform;
let platform: Platform;
let nonces: MemoryNonceStore;
let keys: PlatformKeyCache;
let now: number;
const clock = { now: () => now };

beforeAll(async () => {
  sim = await startPlatform({ now: () => Math.floor(now / 1000) });
});
afterAll(() => sim.close());

beforeEach(() => {
  now = Date.now();
  platform = { id: 'plat-1', status: 'active', ...sim.registration() };
  nonces = new MemoryNonceStore();
  keys = new PlatformKeyCache({ fetch, clock });
});

let n = 0;
async function nonce(): Promise<string> {
  const v = `nonce-${++n}`;
  await nonces.save(platform.id, v, now + 600_000);
  return v;
}

async function claims(user: SimUser = USERS.learner, opts: LaunchOptions = {}) {
  return sim.launchClaims(user, await nonce(), opts);
}

async function verify(token: string, expectedDeploymentId?: string | null) {
  return verifyLaunch({ idToken: token, platform, keys, nonces, clock, expectedDeploymentId });
}

async function rejection(token: string, expectedDeploymentId?: string | null): Promise<LtiErrorCode> {
  try {
    await verify(token, expectedDeploymentId);
  } catch (err) {
    if (err instanceof LtiError) return err.code;
    throw err;
  }
  throw new Error('the launch was accepted');
}

const without = (c: Record<string, unknown>, key: string) => {
  const copy = { ...c };
  delete copy[key];
  return copy;
};

describe('verifyLaunch refuses known bad payloads, each with its own code', () => {
  test('a token that is not a JWT', async () => {
    expect(await rejection('not-a-jwt')).toBe('token_malformed');
    expect(await rejection('')).toBe('token_missing');
  });

  test('alg none', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims(), { alg: 'none' }))).toBe('alg_forbidden');
  });

  test('HS256 signed with the public key as secret', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims(), { alg: 'HS256' }))).toBe('alg_forbidden');
  });

  test('no kid', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims(), { kid: null }))).toBe('kid_missing');
  });

  test('a kid the platform never published, even after a refetch', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims(), { kid: 'ghost' }))).toBe('kid_unknown');
  });

  test('a wrong signature (another key under the same kid)', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims(), { key: 'stranger' }))).toBe(
      'signature_invalid',
    );
  });

  test('a tampered payload', async () => {
    const token = await sim.forgeIdToken(await claims());
    const [h, , s] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...(await claims()), sub: 'someone-else' })).toString(
      'base64url',
    );
    expect(await rejection(`${h}.${payload}.${s}`)).toBe('signature_invalid');
  });

  test('wrong iss', async () => {
    const c = { ...(await claims()), iss: `${sim.issuer}/` };
    expect(await rejection(await sim.forgeIdToken(c))).toBe('iss_mismatch');
  });

  test('aud without our client id', async () => {
    expect(await rejection(await sim.forgeIdToken({ ...(await claims()), aud: 'other-client' }))).toBe(
      'aud_mismatch',
    );
    expect(await rejection(await sim.forgeIdToken({ ...(await claims()), aud: ['a', 'b'] }))).toBe(
      'aud_mismatch',
    );
    expect(await rejection(await sim.forgeIdToken(without(await claims(), 'aud')))).toBe('aud_mismatch');
  });

  test('several audiences without azp, or with a foreign azp', async () => {
    const c = { ...(await claims()), aud: [sim.clientId, 'other'] };
    expect(await rejection(await sim.forgeIdToken(c))).toBe('azp_missing');
    const d = { ...(await claims()), aud: [sim.clientId, 'other'], azp: 'other' };
    expect(await rejection(await sim.forgeIdToken(d))).toBe('azp_mismatch');
  });

  test('expired, beyond the clock skew', async () => {
    const c = await claims();
    const exp = Math.floor(now / 1000) - 61;
    expect(await rejection(await sim.forgeIdToken({ ...c, exp, iat: exp - 60 }))).toBe('token_expired');
  });

  test('iat in the future beyond the skew', async () => {
    const c = await claims();
    const iat = Math.floor(now / 1000) + 120;
    expect(await rejection(await sim.forgeIdToken({ ...c, iat, exp: iat + 60 }))).toBe('iat_future');
  });

  test('iat absurdly old (more than an hour) even with a far exp', async () => {
    const c = await claims();
    const iat = Math.floor(now / 1000) - 3601 - 60;
    expect(await rejection(await sim.forgeIdToken({ ...c, iat, exp: iat + 86400 }))).toBe('iat_too_old');
  });

  test('missing nonce', async () => {
    expect(await rejection(await sim.forgeIdToken(without(await claims(), 'nonce')))).toBe('nonce_missing');
  });

  test('unknown nonce', async () => {
    const c = { ...(await claims()), nonce: 'never-saved' };
    expect(await rejection(await sim.forgeIdToken(c))).toBe('nonce_unknown');
  });

  test('replayed nonce', async () => {
    const token = await sim.forgeIdToken(await claims());
    await verify(token);
    expect(await rejection(token)).toBe('nonce_replayed');
  });

  test('wrong version', async () => {
    const c = { ...(await claims()), [CLAIMS.version]: '1.1' };
    expect(await rejection(await sim.forgeIdToken(c))).toBe('version_invalid');
  });

  test('missing message_type', async () => {
    expect(await rejection(await sim.forgeIdToken(without(await claims(), CLAIMS.messageType)))).toBe(
      'message_type_missing',
    );
  });

  test('unsupported message_type, whose value stays readable for the error page', async () => {
    const c = await claims(USERS.learner, { messageType: 'LtiSubmissionReviewRequest' });
    const err = await verify(await sim.forgeIdToken(c)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LtiError);
    expect((err as LtiError).code).toBe('message_type_unsupported');
    expect((err as LtiError).details.messageType).toBe('LtiSubmissionReviewRequest');
  });

  test('missing deployment id', async () => {
    expect(await rejection(await sim.forgeIdToken(without(await claims(), CLAIMS.deploymentId)))).toBe(
      'deployment_missing',
    );
  });

  test('unregistered deployment id', async () => {
    const c = await claims(USERS.learner, { deploymentId: '99' });
    expect(await rejection(await sim.forgeIdToken(c))).toBe('deployment_unknown');
  });

  test("a deployment differing from the login's lti_deployment_id", async () => {
    platform.deploymentIds = ['1', '2'];
    const c = await claims(USERS.learner, { deploymentId: '2' });
    expect(await rejection(await sim.forgeIdToken(c), '1')).toBe('deployment_mismatch');
  });

  test('missing resource_link.id', async () => {
    const c = { ...(await claims()), [CLAIMS.resourceLink]: { title: 'no id' } };
    expect(await rejection(await sim.forgeIdToken(c))).toBe('resource_link_missing');
    expect(await rejection(await sim.forgeIdToken(without(await claims(), CLAIMS.resourceLink)))).toBe(
      'resource_link_missing',
    );
  });

  test('missing target_link_uri', async () => {
    expect(await rejection(await sim.forgeIdToken(without(await claims(), CLAIMS.targetLinkUri)))).toBe(
      'target_link_uri_missing',
    );
  });

  test('missing roles claim', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims({ ...USERS.learner, roles: null })))).toBe(
      'roles_missing',
    );
  });

  test('missing sub (anonymous launch)', async () => {
    expect(await rejection(await sim.forgeIdToken(await claims({ ...USERS.learner, id: null })))).toBe(
      'sub_missing',
    );
  });

  test('a platform that is no longer active', async () => {
    platform.status = 'disabled';
    expect(await rejection(await sim.forgeIdToken(await claims()))).toBe('platform_inactive');
  });

  test('checks run in order: a bad signature wins over every claim problem', async () => {
    const c = { iss: 'wrong', aud: 'wrong' };
    expect(await rejection(await sim.forgeIdToken(c, { key: 'stranger' }))).toBe('signature_invalid');
  });

  test('only asymmetric algorithms are allowed', () => {
    expect((ALLOWED_ALGS as readonly string[]).some((a) => a.startsWith('HS') || a === 'none')).toBe(false);
  });
});

describe('verifyLaunch accepts every valid variant', () => {
  test('a Moodle-like learner launch, with every claim read', async () => {
    const launch = await verify(
      await sim.forgeIdToken(
        await claims(USERS.learner, {
          custom: { activity: 'diag-1', attempts: 3 },
          locale: 'en-GB',
          resourceLinkId: 'rl-42',
        }),
      ),
      '1',
    );
    expect(launch).toMatchObject({
      platformId: 'plat-1',
      issuer: sim.issuer,
      clientId: sim.clientId,
      deploymentId: '1',
      messageType: 'LtiResourceLinkRequest',
      sub: USERS.learner.id,
      name: USERS.learner.name,
      email: USERS.learner.email,
      view: 'learner',
      locale: 'en',
      custom: { activity: 'diag-1', attempts: '3' },
      resourceLink: { id: 'rl-42' },
      context: { id: 'course-1' },
      toolPlatform: { product_family_code: 'moodle' },
      launchPresentation: { document_target: 'iframe' },
    });
    expect(launch.ags?.lineitems).toBe(sim.lineItemsUrl('course-1'));
    expect(launch.ags?.scope).toContain('https://purl.imsglobal.org/spec/lti-ags/scope/score');
    expect(launch.nrps?.context_memberships_url).toBe(sim.membershipsUrl('course-1'));
  });

  test.each([
    ['full role URIs (instructor)', USERS.instructor, 'staff'],
    ['short role names (Instructor)', USERS.shortRoles, 'staff'],
    ['short role names (Learner)', USERS.shortLearner, 'learner'],
    ['system and institution administrators', USERS.admin, 'staff'],
    ['a mentor', USERS.mentor, 'mentor'],
    ['unknown roles', USERS.unknownRole, 'learner'],
    ['an empty roles array', USERS.noRoles, 'learner'],
  ] as const)('%s', async (_label, user, view) => {
    const launch = await verify(await sim.forgeIdToken(await claims(user)));
    expect(launch.view).toBe(view);
    expect(launch.roles).toEqual(user.roles);
  });

  test("a mentor's role_scope_mentor is read", async () => {
    const launch = await verify(await sim.forgeIdToken(await claims(USERS.mentor)));
    expect(launch.roleScopeMentor).toEqual(['u-learner-1']);
  });

  test('no name or email', async () => {
    const launch = await verify(await sim.forgeIdToken(await claims(USERS.anonymousName)));
    expect(launch.name).toBeUndefined();
    expect(launch.email).toBeUndefined();
    expect(launch.sub).toBe(USERS.anonymousName.id);
  });

  test('no context', async () => {
    const launch = await verify(await sim.forgeIdToken(await claims(USERS.learner, { contextId: null })));
    expect(launch.context).toBeUndefined();
    expect(launch.ags).toBeUndefined();
  });

  test('aud as an array with azp = our client id', async () => {
    const c = { ...(await claims()), aud: [sim.clientId, 'another'], azp: sim.clientId };
    expect((await verify(await sim.forgeIdToken(c))).sub).toBe(USERS.learner.id);
  });

  test('aud as a one-element array', async () => {
    const c = { ...(await claims()), aud: [sim.clientId] };
    expect((await verify(await sim.forgeIdToken(c))).sub).toBe(USERS.learner.id);
  });

  test('a deep linking request, with its settings', async () => {
    const launch = await verify(
      await sim.forgeIdToken(await claims(USERS.instructor, { messageType: 'LtiDeepLinkingRequest' })),
    );
    expect(launch.messageType).toBe('LtiDeepLinkingRequest');
    expect(launch.deepLinking).toMatchObject({ accept_types: ['ltiResourceLink'], data: 'opaque-data-123' });
  });

  test('iat a few minutes old (slow clocks; not ltijs 10 s) and exp within the skew', async () => {
    const c = await claims();
    const iat = Math.floor(now / 1000) - 300;
    const launch = await verify(await sim.forgeIdToken({ ...c, iat, exp: Math.floor(now / 1000) - 30 }));
    expect(launch.issuedAt).toBe(iat);
  });

  test('locale: fr-CA → fr, de-DE → fr (default), the locale claim as fallback', async () => {
    expect(
      (await verify(await sim.forgeIdToken(await claims(USERS.learner, { locale: 'fr-CA' })))).locale,
    ).toBe('fr');
    expect(
      (await verify(await sim.forgeIdToken(await claims(USERS.learner, { locale: 'de-DE' })))).locale,
    ).toBe('fr');
    const c = { ...(await claims()), [CLAIMS.launchPresentation]: {}, locale: 'en_US' };
    expect((await verify(await sim.forgeIdToken(c))).locale).toBe('en');
  });
});

test('a NUL character in any claim is refused as claims_invalid; the escaped text "\\u0000" is not a NUL', async () => {
  for (const edit of [
    (c: Record<string, unknown>) => ({ ...c, sub: 'user\u00001' }),
    (c: Record<string, unknown>) => ({ ...c, [CLAIMS.context]: { id: 'course\u0000', title: 'x' } }),
    (c: Record<string, unknown>) => ({ ...c, name: '\\\u0000' }),
  ]) {
    expect(await rejection(await sim.forgeIdToken(edit(await claims())))).toBe('claims_invalid');
  }
  const launch = await verify(await sim.forgeIdToken({ ...(await claims()), name: 'a\\u0000b' }));
  expect(launch.name).toBe('a\\u0000b');
});

test('the ids records are keyed on are capped at 255 characters, as LTI and OIDC cap them, and hold no lone surrogate', async () => {
  for (const bad of ['x'.repeat(256), 'user\ud800', '\udc00user']) {
    expect(await rejection(await sim.forgeIdToken({ ...(await claims()), sub: bad }))).toBe('claims_invalid');
  }
  // A well-formed pair (an emoji) is an ordinary character.
  expect((await verify(await sim.forgeIdToken({ ...(await claims()), sub: 'u\ud83d\ude00' }))).sub).toBe(
    'u😀',
  );
  const long = 'x'.repeat(256);
  const ok = 'x'.repeat(255);
  const base = await claims();
  expect(await rejection(await sim.forgeIdToken({ ...base, sub: long }))).toBe('claims_invalid');
  for (const name of [CLAIMS.context, CLAIMS.resourceLink]) {
    const c = await claims();
    const edited = { ...c, [name]: { ...(c[name] as object), id: long } };
    expect(await rejection(await sim.forgeIdToken(edited))).toBe('claims_invalid');
  }
  const c = await claims();
  const launch = await verify(
    await sim.forgeIdToken({
      ...c,
      sub: ok,
      [CLAIMS.context]: { ...(c[CLAIMS.context] as object), id: ok },
      [CLAIMS.resourceLink]: { ...(c[CLAIMS.resourceLink] as object), id: ok },
    }),
  );
  expect([launch.sub, launch.context?.id, launch.resourceLink?.id]).toEqual([ok, ok, ok]);
});
