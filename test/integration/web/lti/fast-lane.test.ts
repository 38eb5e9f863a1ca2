import { createTestDb, testDialects, type TestDb } from '../../../support/databases';
import { startPlatform, USERS, type SimulatedPlatform } from '../../../support/platform';
import { registerManually, startTool, type ToolServer } from './tool-server';

/**
 * Login and launch are answered outside express's routing (src/web/lti/fast-lane.ts). What a browser
 * and a platform see must be what every other response of the app gives: these specify it.
 */
describe.each(testDialects())('login and launch outside express routing, on %s', (dialect) => {
  let db: TestDb;
  let sim: SimulatedPlatform;
  let tool: ToolServer;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    sim = await startPlatform();
    tool = await startTool(db);
    await registerManually(db, tool.clock, sim, tool);
  });
  afterAll(async () => {
    await tool.close();
    await sim.close();
    await db.drop();
  });

  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${tool.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });

  const commonHeaders = (res: Response) => ({
    requestId: res.headers.get('x-request-id'),
    nosniff: res.headers.get('x-content-type-options'),
    referrer: res.headers.get('referrer-policy'),
    csp: res.headers.get('content-security-policy'),
  });

  it('gives the login and launch redirects the headers every page of the app has', async () => {
    const page = commonHeaders(await fetch(`${tool.url}/healthz`));
    const r = await sim.loginAndLaunch(tool.url, USERS.learner, { followRedirects: false });
    expect(r.response.status).toBe(303);
    const launch = commonHeaders(r.response);
    // The same set of headers as a page express serves, from the same place (headers.ts).
    expect({ ...launch, requestId: 'x' }).toEqual({ ...page, requestId: 'x' });
    expect(page.nosniff).toBe('nosniff');
    expect(launch.nosniff).toBe('nosniff');
    expect(launch.referrer).toBe('no-referrer');
    // The same policy, framing by the registered platform allowed.
    expect(launch.csp).toBe(page.csp);
    expect(launch.csp).toContain(`frame-ancestors 'self' ${new URL(sim.url).origin}`);
    expect(launch.requestId).toMatch(/^[\w-]{8,}$/);
    expect(launch.requestId).not.toBe(page.requestId);

    const login = await form(
      '/lti/login',
      sim.loginParams(USERS.learner, { targetLinkUri: `${tool.url}/lti/launch` }),
      {
        'X-Request-Id': 'from-the-proxy-1',
      },
    );
    expect(login.status).toBe(302);
    expect(commonHeaders(login)).toEqual({ ...launch, requestId: 'from-the-proxy-1' });
    expect(login.headers.get('cache-control')).toBe('no-store');
  });

  it('sets the session cookie for the launch session time and clears the state cookie it used', async () => {
    const r = await sim.loginAndLaunch(tool.url, USERS.learner, { followRedirects: false });
    const cookies = r.response.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('ltitool_ls='))!;
    const state = cookies.find((c) => c.startsWith('ltitool_state_'))!;
    expect(session).toMatch(new RegExp(`Max-Age=${Math.floor(tool.config.launchSessionTtlMs / 1000)};`));
    for (const c of [session, state]) {
      for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'Partitioned', 'SameSite=None']) {
        expect(c.split('; ')).toContain(attribute);
      }
    }
    const expires = /Expires=([^;]+)/.exec(session)![1]!;
    expect(Math.abs(Date.parse(expires) - (Date.now() + tool.config.launchSessionTtlMs))).toBeLessThan(5_000);
    // Cleared: empty and expired in 1970, with the same attributes (a partitioned cookie is only
    // replaced by a partitioned one).
    expect(state).toMatch(/^ltitool_state_[\w-]+=; /);
    expect(state).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('renders refusals with express: an LTI error page in the language asked for, with the same headers', async () => {
    const res = await form('/lti/launch', { state: 'nothing-we-issued' }, { 'Accept-Language': 'en' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('state_mismatch');
    expect(commonHeaders(res).csp).toContain('frame-ancestors');
    expect(html).toContain(res.headers.get('x-request-id')!);
  });

  it('refuses an oversized form with 413 and an error page, reading no further', async () => {
    const res = await form('/lti/launch', { state: 's', id_token: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('payload_too_large');
  });

  it('answers a login whose database write fails with a 500 page, not a hung request', async () => {
    const broken = await createTestDb(dialect);
    const other = await startTool(broken);
    await registerManually(broken, other.clock, sim, other);
    await broken.kysely.schema.dropTable('oidc_states').execute();
    try {
      const res = await fetch(
        `${other.url}/lti/login?${new URLSearchParams(sim.loginParams(USERS.learner, { targetLinkUri: `${other.url}/lti/launch` }))}`,
        {
          redirect: 'manual',
          headers: { Accept: 'text/html' },
        },
      );
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(html).toContain('internal_error');
      expect(html).not.toMatch(/oidc_states|SQLITE|relation/i);
    } finally {
      await other.close();
      await broken.drop();
    }
  });

  it('answers 500, never a hung request, when even the error page cannot be rendered', async () => {
    const broken = await createTestDb(dialect);
    const other = await startTool(broken);
    // A deployment gone wrong: the views are not where the app looks for them.
    other.app.set('views', '/nonexistent-views');
    try {
      for (const path of ['/lti/launch', '/lti/launch/']) {
        const res = await fetch(`${other.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'state=nothing-we-issued',
          signal: AbortSignal.timeout(5_000),
        });
        expect(res.status).toBe(500);
        await res.text();
      }
    } finally {
      await other.close();
      await broken.drop();
    }
  });

  it('refuses a form in another charset or compressed with 415, as express did', async () => {
    const refused: Record<string, string>[] = [
      { 'Content-Type': 'application/x-www-form-urlencoded; charset=iso-8859-1' },
      { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' },
    ];
    for (const headers of refused) {
      const res = await fetch(`${tool.url}/lti/launch`, { method: 'POST', headers, body: 'state=s' });
      expect(res.status).toBe(415);
      expect(await res.text()).toMatch(/unsupported_(charset|encoding)/);
    }
  });

  it('leaves other methods and spellings of these paths to express, with the same outcome', async () => {
    // HEAD is express's (GET routes answer it); a trailing slash reaches the same launch handler.
    const head = await fetch(`${tool.url}/lti/login`, { method: 'HEAD' });
    expect(head.status).toBe(400);
    const slash = await form('/lti/launch/', { state: 'nothing-we-issued' });
    expect(slash.status).toBe(401);
    expect(await slash.text()).toContain('state_mismatch');
    const put = await fetch(`${tool.url}/lti/launch`, { method: 'PUT' });
    expect(put.status).toBe(404);
    const query = await form('/lti/launch?from=proxy', { state: 'nothing-we-issued' });
    expect(query.status).toBe(401);
    expect(await query.text()).toContain('state_mismatch');
  });
});
