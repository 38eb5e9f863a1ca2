import {
  checkState,
  initiateLogin,
  LtiError,
  MemoryNonceStore,
  type LtiErrorCode,
  type Platform,
  type PlatformLookup,
} from '../../../lti';

const moodle: Platform = {
  id: 'p-moodle',
  issuer: 'https://moodle.example',
  clientId: 'abc123',
  authEndpoint: 'https://moodle.example/mod/lti/auth.php',
  tokenEndpoint: 'https://moodle.example/mod/lti/token.php',
  authorizationServer: null,
  jwksUri: 'https://moodle.example/mod/lti/certs.php',
  status: 'active',
  deploymentIds: ['1'],
};

/** A registry like src/db's: (issuer, clientId) keyed, ambiguous when an issuer holds several ids. */
function registry(platforms: Platform[]): PlatformLookup {
  return {
    async find(issuer, clientId) {
      const rows = platforms.filter(
        (p) => p.issuer === issuer && (clientId === undefined || p.clientId === clientId),
      );
      if (rows.length === 0) return { kind: 'not_found' };
      if (rows.length > 1) return { kind: 'ambiguous', clientIds: rows.map((r) => r.clientId) };
      return { kind: 'found', platform: rows[0]! };
    },
  };
}

const TOOL = 'https://tool.example';
const messageHint = '{"launchid":"ltilaunch7_123","cmid":"4"}';
const moodleForm = {
  iss: moodle.issuer,
  target_link_uri: `${TOOL}/lti/launch`,
  login_hint: '2',
  lti_message_hint: messageHint,
  client_id: 'abc123',
  lti_deployment_id: '1',
};

function login(params: unknown, platforms: Platform[] = [moodle], nonces = new MemoryNonceStore()) {
  return initiateLogin({
    params,
    platforms: registry(platforms),
    nonces,
    clock: { now: () => 1_700_000_000_000 },
    redirectUri: `${TOOL}/lti/launch`,
  });
}

async function code(p: Promise<unknown>): Promise<LtiErrorCode> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof LtiError)) throw new Error(`expected an LtiError, got ${String(err)}`);
  return err.code;
}

describe('initiateLogin', () => {
  test("Moodle's POST form: redirect to the auth endpoint with every OIDC parameter", async () => {
    const r = await login(moodleForm);
    const u = new URL(r.redirectUrl);
    expect(u.origin + u.pathname).toBe(moodle.authEndpoint);
    expect(Object.fromEntries(u.searchParams)).toEqual({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: 'abc123',
      redirect_uri: `${TOOL}/lti/launch`,
      login_hint: '2',
      lti_message_hint: messageHint,
      state: r.state,
      nonce: r.nonce,
    });
    expect(r).toMatchObject({
      deploymentId: '1',
      targetLinkUri: `${TOOL}/lti/launch`,
      loginHint: '2',
      messageHint,
      storageTarget: null,
      expiresAt: 1_700_000_000_000 + 600_000,
    });
    expect(r.platform.id).toBe('p-moodle');
  });

  test('a GET query without optional parameters (client id inferred when the issuer has one)', async () => {
    const r = await login({
      iss: moodle.issuer,
      login_hint: 'opaque hint/+=?',
      target_link_uri: `${TOOL}/x`,
    });
    const q = new URL(r.redirectUrl).searchParams;
    expect(q.get('login_hint')).toBe('opaque hint/+=?');
    expect(q.has('lti_message_hint')).toBe(false);
    expect(r.deploymentId).toBeNull();
  });

  test('lti_storage_target is returned for postMessage storage', async () => {
    const r = await login({ ...moodleForm, lti_storage_target: '_parent' });
    expect(r.storageTarget).toBe('_parent');
  });

  test('repeated query parameters: the first value counts', async () => {
    const r = await login({ ...moodleForm, login_hint: ['first', 'second'] });
    expect(r.loginHint).toBe('first');
  });

  test('state and nonce are random, long and distinct; the nonce is saved for the launch', async () => {
    const nonces = new MemoryNonceStore();
    const a = await login(moodleForm, [moodle], nonces);
    const b = await login(moodleForm, [moodle], nonces);
    expect(new Set([a.state, a.nonce, b.state, b.nonce]).size).toBe(4);
    expect(a.state.length).toBeGreaterThanOrEqual(43);
    expect(await nonces.consume('p-moodle', a.nonce, 1_700_000_000_001)).toBe('ok');
    expect(await nonces.consume('p-moodle', a.nonce, 1_700_000_000_002)).toBe('replayed');
    expect(await nonces.consume('p-moodle', b.nonce, 1_700_000_600_000)).toBe('unknown');
  });

  test.each(['iss', 'login_hint', 'target_link_uri'])('missing %s → login_invalid', async (field) => {
    const params: Record<string, string> = { ...moodleForm };
    delete params[field];
    expect(await code(login(params))).toBe('login_invalid');
  });

  test('unknown issuer or client id → platform_unknown', async () => {
    expect(await code(login({ ...moodleForm, iss: 'https://other.example' }))).toBe('platform_unknown');
    expect(await code(login({ ...moodleForm, client_id: 'nope' }))).toBe('platform_unknown');
  });

  test('an issuer with several client ids and none given → platform_ambiguous; naming one works', async () => {
    const twin = { ...moodle, id: 'p-twin', clientId: 'def456' };
    const params: Record<string, string> = { ...moodleForm };
    delete params.client_id;
    expect(await code(login(params, [moodle, twin]))).toBe('platform_ambiguous');
    expect((await login({ ...params, client_id: 'def456' }, [moodle, twin])).platform.id).toBe('p-twin');
  });

  test('a pending platform → platform_inactive, for the admin', async () => {
    const err = await login(moodleForm, [{ ...moodle, status: 'pending' }]).catch((e: LtiError) => e);
    expect(err).toMatchObject({ code: 'platform_inactive', audience: 'admin', status: 403 });
  });

  test.each([
    'https://evil.example/lti/launch',
    'https://tool.example.evil.example/',
    'https://tool.example@evil.example/',
    'javascript:alert(1)',
    '//evil.example/x',
    '/relative',
    'http://tool.example/lti/launch',
  ])('open redirect refused: %s', async (target) => {
    expect(await code(login({ ...moodleForm, target_link_uri: target }))).toBe('target_link_uri_foreign');
  });
});

describe('checkState', () => {
  test('equal states pass', () => {
    expect(() => checkState('abc', 'abc')).not.toThrow();
  });
  test('missing on either side → state_missing; different → state_mismatch', () => {
    expect(() => checkState(undefined, 'abc')).toThrow(expect.objectContaining({ code: 'state_missing' }));
    expect(() => checkState('abc', undefined)).toThrow(expect.objectContaining({ code: 'state_missing' }));
    expect(() => checkState('abc', 'abd')).toThrow(expect.objectContaining({ code: 'state_mismatch' }));
    expect(() => checkState(['abc'], 'abc')).toThrow(expect.objectContaining({ code: 'state_missing' }));
  });
});
