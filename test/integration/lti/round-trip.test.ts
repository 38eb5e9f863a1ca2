import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  checkState,
  initiateLogin,
  LtiError,
  MemoryNonceStore,
  PlatformKeyCache,
  verifyLaunch,
  type LoginResult,
  type Platform,
} from '../../../lti';
import { CookieJar, startPlatform, USERS, type SimulatedPlatform } from '../../support/platform';
import type { Server } from 'node:http';

/**
 * A minimal tool built only from lti/ (state in a cookie, nonce in memory): proves the library and the
 * simulator's loginAndLaunch driver fit together over real HTTP, the way the app does it.
 */
async function startTool(sim: SimulatedPlatform) {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const nonces = new MemoryNonceStore();
  const clock = { now: () => Date.now() };
  const keys = new PlatformKeyCache({ fetch, clock });
  const states = new Map<string, LoginResult>();
  const platform: Platform = { id: 'p1', status: 'active', ...sim.registration() };
  const base = { url: '' };
  const platforms = {
    find: async (issuer: string, clientId?: string) =>
      issuer === platform.issuer && (!clientId || clientId === platform.clientId)
        ? { kind: 'found' as const, platform }
        : { kind: 'not_found' as const },
  };
  const login = async (req: express.Request, res: express.Response) => {
    try {
      const r = await initiateLogin({
        params: req.method === 'POST' ? req.body : req.query,
        platforms,
        nonces,
        clock,
        redirectUri: `${base.url}/lti/launch`,
      });
      states.set(r.state, r);
      res.setHeader(
        'Set-Cookie',
        `lti_state=${r.state}; Path=/; HttpOnly; SameSite=None; Secure; Partitioned`,
      );
      res.redirect(302, r.redirectUrl);
    } catch (err) {
      if (!(err instanceof LtiError)) throw err;
      res.status(err.status).json({ code: err.code });
    }
  };
  app.get('/lti/login', login);
  app.post('/lti/login', login);
  app.post('/lti/launch', async (req, res) => {
    try {
      const cookie = /(?:^|;\s*)lti_state=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      checkState(req.body.state, cookie);
      const saved = states.get(cookie!);
      if (!saved) throw new LtiError('state_expired');
      states.delete(cookie!);
      const launch = await verifyLaunch({
        idToken: req.body.id_token,
        platform: saved.platform,
        expectedDeploymentId: saved.deploymentId,
        keys,
        nonces,
        clock,
      });
      res.redirect(303, `/home?sub=${encodeURIComponent(launch.sub)}&view=${launch.view}`);
    } catch (err) {
      if (!(err instanceof LtiError)) throw err;
      res.status(err.status).json({ code: err.code });
    }
  });
  app.get('/home', (req, res) => {
    res.json({ sub: req.query.sub, view: req.query.view });
  });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  // localhost, not 127.0.0.1: another site than the platform, as in the browser tests.
  base.url = `http://localhost:${(server.address() as AddressInfo).port}`;
  sim.setTool({ redirectUris: [`${base.url}/lti/launch`] });
  return { url: base.url, keys, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let sim: SimulatedPlatform;
let tool: Awaited<ReturnType<typeof startTool>>;
beforeAll(async () => {
  sim = await startPlatform();
  tool = await startTool(sim);
});
afterAll(async () => {
  await tool.close();
  await sim.close();
});

describe('login → auth → launch round trip over real HTTP', () => {
  test('a Moodle POST login reaches the tool page as the learner', async () => {
    const r = await sim.loginAndLaunch(tool.url, USERS.learner);
    expect(r.stoppedAt).toBe('launch');
    expect(r.response.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ sub: USERS.learner.id, view: 'learner' });
    expect(r.url).toMatch(/\/home\?/);
  });

  test('a GET login without client_id or deployment works too, as the instructor', async () => {
    const r = await sim.loginAndLaunch(tool.url, USERS.instructor, {
      method: 'GET',
      withClientId: false,
      withDeploymentId: false,
    });
    expect(JSON.parse(r.body)).toEqual({ sub: USERS.instructor.id, view: 'staff' });
  });

  test("the platform's auth endpoint checks the tool's request (registered redirect_uri, prompt, nonce...)", async () => {
    const before = sim.authRejections.length;
    const r = await sim.loginAndLaunch(tool.url, USERS.learner);
    expect(r.stoppedAt).toBe('launch');
    expect(sim.authRejections.length).toBe(before);
    const req = sim.requests.filter((q) => q.path === '/mod/lti/auth.php').at(-1)!;
    expect(req.query).toMatchObject({ prompt: 'none', response_mode: 'form_post', scope: 'openid' });
  });

  test('a launch POSTed without the state cookie or with another state is refused', async () => {
    const jar = new CookieJar();
    // Safari in an iframe: the state cookie set at login is gone at launch.
    const lost = await sim.loginAndLaunch(tool.url, USERS.learner, {
      jar,
      tamper: (f) => {
        jar.clear();
        return f;
      },
    });
    expect(JSON.parse(lost.body)).toEqual({ code: 'state_missing' });
    const other = await sim.loginAndLaunch(tool.url, USERS.learner, {
      tamper: (f) => ({ ...f, state: 'forged' }),
    });
    expect(JSON.parse(other.body)).toEqual({ code: 'state_mismatch' });
    const none = await sim.loginAndLaunch(tool.url, USERS.learner, {
      tamper: (f) => ({ ...f, state: undefined }),
    });
    expect(JSON.parse(none.body)).toEqual({ code: 'state_missing' });
  });

  test('the same id_token replayed is refused', async () => {
    const first = await sim.loginAndLaunch(tool.url, USERS.learner);
    expect(first.response.status).toBe(200);
    const again = await sim.loginAndLaunch(tool.url, USERS.learner, {
      tamper: (f) => ({ ...f, idToken: first.idToken }),
    });
    expect(JSON.parse(again.body)).toEqual({ code: 'nonce_replayed' });
  });

  test('an unknown platform stops at the login with a clear code', async () => {
    const r = await sim.loginAndLaunch(tool.url, USERS.learner, {
      extraLoginParams: { iss: 'https://nowhere' },
    });
    expect(r.stoppedAt).toBe('login');
    expect(JSON.parse(r.body)).toEqual({ code: 'platform_unknown' });
  });

  test('a platform key rotation: the cached JWKS is refetched once for the new kid', async () => {
    await sim.rotateKey();
    const r = await sim.loginAndLaunch(tool.url, USERS.learner);
    expect(r.response.status).toBe(200);
  });
});
