import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ToolKeySet } from '../../../../lti';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { createRegistrationTokenRepository } from '../../../../src/db/repositories/registration-tokens';
import { createToolKeyRepository } from '../../../../src/db/repositories/tool-keys';
import { rotateToolKeys } from '../../../../src/web/lti';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';
import { startPlatform, USERS, type SimulatedPlatform } from '../../../support/platform';
import { launchToLtiPage, manualClock, registerManually, startTool, type ToolServer } from './tool-server';

const HOUR = 3_600_000;

describe.each(testDialects())('Dynamic Registration through /lti/register on %s', (dialect) => {
  let db: TestDb;
  let sim: SimulatedPlatform;
  let tool: ToolServer;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    sim = await startPlatform();
    tool = await startTool(db);
    sim.setTool({ redirectUris: [`${tool.url}/lti/launch`] });
  });
  afterAll(async () => {
    await tool.close();
    await sim.close();
    await db.drop();
  });

  const registerUrl = (extra: Record<string, string> = {}) => {
    const u = new URL(`${tool.url}/lti/register`);
    u.searchParams.set('openid_configuration', sim.openidConfigurationUrl);
    u.searchParams.set('registration_token', sim.registrationToken);
    for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
    return u.toString();
  };
  const lastClient = () => {
    const n = sim.registrations.length + 1;
    return { clientId: `dyn-client-${n}`, deploymentId: String(n) };
  };

  it('registers pending, refuses launches until an admin activates, then launches work', async () => {
    const res = await fetch(registerUrl(), { headers: { 'Accept-Language': 'en' } });
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('data-note="moodle"');
    expect(body).toContain('data-note="pending"');
    expect(body).toContain('src="/static/js/lti-register-close.js"');
    const sent = sim.registrations.at(-1)!;
    expect(sent.initiate_login_uri).toBe(`${tool.url}/lti/login`);
    expect(sent.jwks_uri).toBe(`${tool.url}/.well-known/jwks.json`);
    // The LMS shows our logo on the tool's card: the URL we send must answer with an image.
    const logo = await fetch(String(sent.logo_uri));
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toMatch(/^image\/svg\+xml/);

    const { clientId, deploymentId } = lastClient();
    const found = await createPlatformRepository(db, tool.clock).find(sim.issuer, clientId);
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.platform).toMatchObject({
      status: 'pending',
      source: 'dynamic',
      deploymentIds: [deploymentId],
    });

    sim.clientId = clientId;
    sim.deploymentId = deploymentId;
    const refused = await sim.loginAndLaunch(tool.url, USERS.learner);
    expect(refused.response.status).toBe(403);
    expect(refused.body).toContain('platform_inactive');

    await createPlatformRepository(db, tool.clock).setStatus(found.platform.id, 'active');
    const ok = await launchToLtiPage(tool, sim, USERS.learner);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('data-view="learner"');
  });

  it('with a one-time admin token the platform is active at once; the token does not work twice', async () => {
    const tokens = createRegistrationTokenRepository(db, tool.clock);
    const { token } = await tokens.issue({ ttlMs: HOUR });
    const res = await fetch(registerUrl({ token }));
    const body = await res.text();
    expect(body).toContain('data-note="active"');
    const { clientId, deploymentId } = lastClient();
    sim.clientId = clientId;
    sim.deploymentId = deploymentId;
    expect((await launchToLtiPage(tool, sim, USERS.instructor)).status).toBe(200);

    const again = await (await fetch(registerUrl({ token }))).text();
    expect(again).toContain('data-note="token-refused"');
    expect(again).toContain('data-note="pending"');
  });

  it('a registration refused as a duplicate does not spend the one-time admin token', async () => {
    const tokens = createRegistrationTokenRepository(db, tool.clock);
    const { token } = await tokens.issue({ ttlMs: HOUR });
    // The client id the simulator will give next is already registered here.
    const next = `dyn-client-${sim.registrations.length + 2}`;
    await createPlatformRepository(db, tool.clock).add({
      ...sim.registration(),
      clientId: next,
      name: 'Already here',
      status: 'pending',
      source: 'manual',
    });
    const duplicate = await fetch(registerUrl({ token }));
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain('registration_duplicate');
    const retry = await (await fetch(registerUrl({ token }))).text();
    expect(retry).toContain('data-note="active"');
  });

  it('a wrong registration token or a missing configuration URL is reported with its code', async () => {
    const bad = new URL(registerUrl());
    bad.searchParams.set('registration_token', 'wrong');
    const r1 = await fetch(bad);
    expect(r1.status).toBe(401);
    expect(await r1.text()).toContain('registration_unauthorized');
    const r2 = await fetch(`${tool.url}/lti/register`);
    expect(r2.status).toBe(400);
    expect(await r2.text()).toContain('registration_url_invalid');
  });
});

describe.each(testDialects())('tool keys on %s', (dialect) => {
  let db: TestDb;
  let sim: SimulatedPlatform;
  let tool: ToolServer;
  const clock = manualClock();

  beforeAll(async () => {
    db = await createTestDb(dialect);
    // The platform dates its tokens with the same clock, so hours can pass in a test.
    sim = await startPlatform({ now: () => Math.floor(clock.now() / 1000) });
    tool = await startTool(db, { clock, env: { KEY_OVERLAP_HOURS: '72' } });
    await registerManually(db, clock, sim, tool);
  });
  afterAll(async () => {
    await tool.close();
    await sim.close();
    await db.drop();
  });

  async function jwks(): Promise<JSONWebKeySet> {
    const res = await fetch(`${tool.url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    return (await res.json()) as JSONWebKeySet;
  }

  /** Like Moodle: caches the tool's JWKS and refetches only when a signature check fails. */
  function moodleLikeVerifier() {
    let cached: JSONWebKeySet | undefined;
    let fetches = 0;
    return {
      get fetches() {
        return fetches;
      },
      async verify(jwt: string) {
        if (!cached) {
          cached = await jwks();
          fetches++;
        }
        try {
          return await jwtVerify(jwt, createLocalJWKSet(cached), {
            audience: sim.issuer,
            issuer: sim.clientId,
          });
        } catch {
          cached = await jwks();
          fetches++;
          return jwtVerify(jwt, createLocalJWKSet(cached), { audience: sim.issuer, issuer: sim.clientId });
        }
      },
    };
  }

  async function deepLinkingJwt(): Promise<string> {
    const r = await launchToLtiPage(tool, sim, USERS.instructor, { messageType: 'LtiDeepLinkingRequest' });
    expect(r.status).toBe(200);
    const ls = r.ls!;
    const res = await fetch(`${tool.url}/lti/deep-linking`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ls, item: 'assessment' }).toString(),
    });
    return /name="JWT" value="([^"]+)"/.exec(await res.text())![1]!;
  }

  it('publish only public members, with a kid', async () => {
    const set = await jwks();
    expect(set.keys.length).toBeGreaterThanOrEqual(1);
    for (const k of set.keys) {
      expect(k.kid).toBeTruthy();
      expect(k).not.toHaveProperty('d');
      expect(k).not.toHaveProperty('p');
      expect(k.alg).toBe('RS256');
    }
  });

  it('rotate while launches continue and a caching verifier keeps verifying deep-linking signatures', async () => {
    const verifier = moodleLikeVerifier();
    const firstJwt = await deepLinkingJwt();
    const oldKid = decodeProtectedHeader(firstJwt).kid!;
    await verifier.verify(firstJwt);

    const keySet = new ToolKeySet({ store: createToolKeyRepository(db, clock), overlapMs: 72 * HOUR });
    const plan = await rotateToolKeys(keySet, clock.now(), 72 * HOUR);
    expect(plan.alreadyPending).toBe(false);
    expect(plan.signsFrom).toBe(clock.now() + 72 * HOUR);
    expect(plan.oldRetireAfter).toBe(clock.now() + 144 * HOUR);
    expect((await rotateToolKeys(keySet, clock.now(), 72 * HOUR)).alreadyPending).toBe(true);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([plan.kid, oldKid]);

    // During the overlap the old key still signs: the cached JWKS suffices.
    clock.advance(24 * HOUR);
    const during = await deepLinkingJwt();
    expect(decodeProtectedHeader(during).kid).toBe(oldKid);
    await verifier.verify(during);
    expect(verifier.fetches).toBe(1);

    // After the overlap the new key signs; the old one stays published for another overlap.
    clock.advance(49 * HOUR);
    const after = await deepLinkingJwt();
    expect(decodeProtectedHeader(after).kid).toBe(plan.kid);
    await verifier.verify(after);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([plan.kid, oldKid]);

    clock.advance(72 * HOUR);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([plan.kid]);
    expect((await launchToLtiPage(tool, sim, USERS.learner)).status).toBe(200);
  });
});
