import { decodeJwt } from 'jose';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';
import {
  CookieJar,
  startPlatform,
  USERS,
  type SimulatedPlatform,
  type SimUser,
} from '../../../support/platform';
import { createPlatformRepository } from '../../../../src/db/repositories/platforms';
import { launchToLtiPage, registerManually, startTool, type ToolServer } from './tool-server';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** Login by hand (POST, like Moodle) so a test can forge the id_token for the state and nonce it got. */
async function login(
  tool: ToolServer,
  sim: SimulatedPlatform,
  user: SimUser = USERS.learner,
  extra: Record<string, string> = {},
) {
  const params = { ...sim.loginParams(user, { targetLinkUri: `${tool.url}/lti/launch` }), ...extra };
  const res = await fetch(`${tool.url}/lti/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  const jar = new CookieJar();
  jar.store(`${tool.url}/lti/login`, res);
  const q = location ? new URL(location).searchParams : new URLSearchParams();
  return {
    res,
    location,
    state: q.get('state') ?? '',
    nonce: q.get('nonce') ?? '',
    jar,
    body: location ? '' : await res.text(),
  };
}

async function postLaunch(tool: ToolServer, fields: Record<string, string>, jar?: CookieJar) {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Accept-Language': 'en',
  };
  const cookie = jar?.header(`${tool.url}/lti/launch`);
  if (cookie) headers.Cookie = cookie;
  const res = await fetch(`${tool.url}/lti/launch`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { res, body: await res.text() };
}

const decode = (html: string) =>
  html
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
const code = (body: string) =>
  /data-code="([^"]+)"|Error code: ([\w_]+)|Code de l’erreur : ([\w_]+)/.exec(body)?.slice(1).find(Boolean);

describe.each(testDialects())('LTI launches through the real routes on %s', (dialect) => {
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

  describe('every kind of user lands on the right page, in the launch language', () => {
    const cases: Array<[string, SimUser, string, string, RegExp]> = [
      ['a learner', USERS.learner, 'learner', 'fr', /Léa Martin/],
      ['an instructor', USERS.instructor, 'staff', 'en', /Claire Dubois/],
      ['a mentor', USERS.mentor, 'mentor', 'fr', /Paul Martin/],
      ['a site administrator', USERS.admin, 'staff', 'en', /Admin Site/],
      ['short role names', USERS.shortRoles, 'staff', 'fr', /Short Names/],
      ['a short learner role', USERS.shortLearner, 'learner', 'en', /Short Learner/],
      ['no roles at all', USERS.noRoles, 'learner', 'fr', /Sans Rôle/],
      ['an unknown role', USERS.unknownRole, 'learner', 'en', /Unknown Role/],
      ['no name nor email', USERS.anonymousName, 'learner', 'en', /Anonymous participant/],
    ];
    it.each(cases)('%s', async (_label, user, view, locale, name) => {
      const r = await launchToLtiPage(tool, sim, user, { locale });
      expect(r.status).toBe(200);
      expect(r.body).toContain(`data-view="${view}"`);
      expect(r.body).toContain(`<html lang="${locale}">`);
      expect(r.body).toMatch(name);
      expect(r.body).toContain('Compétences numériques');
      expect(r.body).toContain('Activité');
    });

    it('a launch without context shows "outside a course"', async () => {
      const r = await launchToLtiPage(tool, sim, USERS.learner, { contextId: null, locale: 'en' });
      expect(r.status).toBe(200);
      expect(r.body).toContain('Outside a course');
    });

    it('fr-CA is French and de-DE falls back to French', async () => {
      for (const locale of ['fr-CA', 'de-DE']) {
        const r = await launchToLtiPage(tool, sim, USERS.learner, { locale });
        expect(r.body).toContain('<html lang="fr">');
        expect(r.body).toContain('Votre activité');
      }
    });

    it('with DEFAULT_LOCALE=en, a launch in a language we do not speak (de-DE) is in English', async () => {
      const english = await startTool(db, { env: { DEFAULT_LOCALE: 'en' } });
      try {
        sim.setTool({ redirectUris: [`${tool.url}/lti/launch`, `${english.url}/lti/launch`] });
        for (const [locale, lang] of [
          ['de-DE', 'en'],
          ['fr-FR', 'fr'],
        ]) {
          const r = await launchToLtiPage(english, sim, USERS.learner, { locale });
          expect(r.status).toBe(200);
          expect(r.body).toContain(`<html lang="${lang}">`);
        }
      } finally {
        sim.setTool({ redirectUris: [`${tool.url}/lti/launch`] });
        await english.close();
      }
    });

    it('GET logins work as well as POST, and the state cookie is partitioned and never named Moodle*', async () => {
      const r = await launchToLtiPage(tool, sim, USERS.learner, { method: 'GET' });
      expect(r.status).toBe(200);
      const l = await login(tool, sim);
      const setCookie = l.res.headers.getSetCookie().join('\n');
      expect(setCookie).toMatch(/ltitool_state_[\w-]+=/);
      expect(setCookie).toMatch(/Partitioned/i);
      expect(setCookie).toMatch(/Secure/i);
      expect(setCookie).toMatch(/SameSite=None/i);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).not.toMatch(/(^|\n)Moodle/i);
      const auth = new URL(l.location!);
      expect(Object.fromEntries(auth.searchParams)).toMatchObject({
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: sim.clientId,
        redirect_uri: `${tool.url}/lti/launch`,
      });
    });
  });

  describe('the launch session', () => {
    it('travels as ?ls= and as a partitioned cookie, and pages refuse without it', async () => {
      const r = await launchToLtiPage(tool, sim, USERS.learner);
      const ls = r.ls!;
      expect(ls).toMatch(/^[\w-]{43}$/);
      expect((await fetch(`${tool.url}/lti/activity?ls=${ls}`)).status).toBe(200);
      expect((await fetch(`${tool.url}/lti/activity`)).status).toBe(401);
      expect((await fetch(`${tool.url}/lti/activity?ls=forged`)).status).toBe(401);
      const viaCookie = await fetch(`${tool.url}/lti/activity`, {
        headers: { Cookie: r.launch.jar.header(tool.url)! },
      });
      expect(viaCookie.status).toBe(200);
    });

    it('a learner cannot open the instructor deep-linking page', async () => {
      const r = await launchToLtiPage(tool, sim, USERS.learner);
      expect((await fetch(`${tool.url}/lti/deep-linking?ls=${r.ls}`)).status).toBe(403);
    });
  });

  describe('deep linking and other messages', () => {
    it('an instructor deep-linking request opens the picker, and the signed answer carries the data back', async () => {
      const r = await launchToLtiPage(tool, sim, USERS.instructor, {
        messageType: 'LtiDeepLinkingRequest',
        locale: 'en',
      });
      expect(r.status).toBe(200);
      expect(r.body).toContain('Choose the content to add');
      const ls = r.ls!;
      const res = await fetch(`${tool.url}/lti/deep-linking`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ls, item: 'assessment' }).toString(),
      });
      const page = await res.text();
      expect(res.status).toBe(200);
      const jwt = /name="JWT" value="([^"]+)"/.exec(page)![1]!;
      expect(decode(/<form method="post" action="([^"]+)"/.exec(page)![1]!)).toBe(
        `${sim.url}/mod/lti/contentitem_return.php?course=1&id=1`,
      );
      const claims = decodeJwt(jwt);
      expect(claims).toMatchObject({ iss: sim.clientId, aud: sim.issuer });
      expect(claims[`${DL}data`]).toBe('opaque-data-123');
      expect(claims[`${LTI}message_type`]).toBe('LtiDeepLinkingResponse');
      const items = claims[`${DL}content_items`] as Array<Record<string, unknown>>;
      expect(items[0]).toMatchObject({ type: 'ltiResourceLink', lineItem: { scoreMaximum: 100 } });
    });

    it('an unsupported message type gets a clear page', async () => {
      const r = await sim.loginAndLaunch(tool.url, USERS.learner, {
        messageType: 'LtiSubmissionReviewRequest',
        locale: 'en',
      });
      expect(r.response.status).toBe(400);
      expect(r.body).toContain('message_type_unsupported');
      expect(r.body).toContain('LtiSubmissionReviewRequest');
    });
  });

  describe('login refusals', () => {
    it('an unknown platform gets a page for its admin', async () => {
      const res = await fetch(
        `${tool.url}/lti/login?iss=https://unknown.example&login_hint=1&target_link_uri=${tool.url}/lti/launch`,
        {
          headers: { 'Accept-Language': 'en' },
        },
      );
      expect(res.status).toBe(400);
      const body = await res.text();
      expect(body).toContain('platform_unknown');
      expect(body).toContain('platform administrator');
    });

    it('a target_link_uri elsewhere is refused (no open redirect)', async () => {
      const l = await login(tool, sim, USERS.learner, { target_link_uri: 'https://evil.example/lti/launch' });
      expect(l.res.status).toBe(400);
      expect(l.location).toBeNull();
      expect(code(l.body)).toBe('target_link_uri_foreign');
    });

    it('a login without login_hint is refused', async () => {
      const res = await fetch(
        `${tool.url}/lti/login?iss=${encodeURIComponent(sim.issuer)}&target_link_uri=${tool.url}/lti/launch`,
      );
      expect(res.status).toBe(400);
      expect(code(await res.text())).toBe('login_invalid');
    });
    it('a NUL character in a login parameter is refused, not a server error', async () => {
      for (const extra of <Array<Record<string, string>>>[
        { login_hint: 'u\u00001' },
        { lti_message_hint: '\u0000' },
        { iss: `${sim.issuer}\u0000` },
      ]) {
        const l = await login(tool, sim, USERS.learner, extra);
        expect(l.res.status).toBe(400);
        expect(code(l.body)).toBe('login_invalid');
      }
    });
  });

  describe('state checks', () => {
    it('a launch with a state this browser did not start is refused', async () => {
      const r = await sim.loginAndLaunch(tool.url, USERS.learner, {
        tamper: (f) => ({ ...f, state: 'not-the-state' }),
      });
      expect(r.response.status).toBe(401);
      expect(code(r.body)).toBe('state_mismatch');
    });

    it('a launch without state is refused', async () => {
      const r = await sim.loginAndLaunch(tool.url, USERS.learner, {
        tamper: (f) => ({ ...f, state: undefined }),
      });
      expect(r.response.status).toBe(401);
      expect(code(r.body)).toBe('state_missing');
    });

    it("another browser's state cookie does not prove this state", async () => {
      const a = await login(tool, sim);
      const b = await login(tool, sim);
      const idToken = await sim.forgeIdToken(sim.launchClaims(USERS.learner, a.nonce));
      // b's cookie under a's cookie name: the value differs.
      const jar = new CookieJar();
      const name = /(ltitool_state_[\w-]+)=/.exec(a.res.headers.getSetCookie()[0]!)![1]!;
      const fake = new Response(null, { headers: { 'Set-Cookie': `${name}=${b.state}` } });
      jar.store(tool.url, fake);
      const r = await postLaunch(tool, { id_token: idToken, state: a.state }, jar);
      expect(r.res.status).toBe(401);
      expect(code(r.body)).toBe('state_mismatch');
    });

    // A request needs no login to bring a state and a matching storage proof of its own making: it
    // must get the same refusal as before, cause no key fetch and no server error.
    it('a made-up state with its own proof is refused before any key is fetched, whatever the token', async () => {
      const unsigned = (claims: Record<string, unknown>, kid: string) =>
        [
          Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url'),
          Buffer.from(JSON.stringify(claims)).toString('base64url'),
          'c2ln',
        ].join('.');
      // A real launch first: the platform and its key are then in the tool's caches, as in production.
      expect(
        (await sim.loginAndLaunch(tool.url, USERS.learner, { followRedirects: false })).response.status,
      ).toBe(303);
      const fetchesBefore = sim.requests.filter((r) => r.path === new URL(sim.jwksUrl).pathname).length;
      for (const token of [
        unsigned({ ...sim.launchClaims(USERS.learner, 'n'), iss: 'a\u0000b' }, 'k'),
        unsigned(sim.launchClaims(USERS.learner, 'n'), 'made-up-kid'),
        await sim.forgeIdToken(sim.launchClaims(USERS.learner, 'n')),
      ]) {
        const r = await postLaunch(tool, { id_token: token, state: 'made-up', lti_storage_proof: 'made-up' });
        expect(r.res.status).toBe(401);
        expect(code(r.body)).toBe('state_mismatch');
      }
      expect(sim.requests.filter((r) => r.path === new URL(sim.jwksUrl).pathname).length).toBe(fetchesBefore);
    });

    it('a state that cannot be one of ours (a NUL, a space) is refused as a mismatch, with or without a proof', async () => {
      const token = await sim.forgeIdToken(sim.launchClaims(USERS.learner, 'n'));
      for (const state of ['a\u0000b', 'a b']) {
        // The cookie a login for this state would have set (its name keeps the state's safe characters).
        const jar = { header: () => `ltitool_state_ab=${encodeURIComponent(state)}` } as unknown as CookieJar;
        for (const [fields, cookies] of [
          [{ id_token: token, state }, undefined],
          [{ id_token: token, state, lti_storage_proof: state }, undefined],
          [{ id_token: token, state }, jar],
        ] as const) {
          const r = await postLaunch(tool, fields, cookies);
          expect(r.res.status).toBe(401);
          expect(code(r.body)).toBe('state_mismatch');
        }
      }
    });

    it('no cookie came back: the new-window step restarts the login first-party with the same hints', async () => {
      const l = await login(tool, sim);
      const idToken = await sim.forgeIdToken(sim.launchClaims(USERS.learner, l.nonce));
      const r = await postLaunch(tool, { id_token: idToken, state: l.state });
      expect(r.res.status).toBe(401);
      expect(r.body).toContain('id="lti-new-window"');
      expect(r.body).toContain('Ouvrir dans une nouvelle fenêtre');
      const href = decode(/id="lti-new-window-link" href="([^"]+)"/.exec(r.body)![1]!);
      const restart = new URL(href);
      expect(restart.origin + restart.pathname).toBe(`${tool.url}/lti/login`);
      expect(restart.searchParams.get('iss')).toBe(sim.issuer);
      expect(restart.searchParams.get('login_hint')).toBe(USERS.learner.id);
      expect(restart.searchParams.get('lti_message_hint')).toBeTruthy();
      // A storage proof does not replace the cookie of a cookie-mode login.
      const forged = await postLaunch(tool, {
        id_token: idToken,
        state: l.state,
        lti_storage_proof: l.state,
      });
      expect(forged.res.status).toBe(401);
      expect(forged.body).toContain('id="lti-new-window"');
      // The state was not consumed and the token was not accepted: with the cookie, it still works.
      const ok = await postLaunch(tool, { id_token: idToken, state: l.state }, l.jar);
      expect(ok.res.status).toBe(303);
    });

    it('postMessage storage: the launch page asks the platform, then the proof is checked', async () => {
      const l = await login(tool, sim, USERS.learner, { lti_storage_target: '_parent' });
      expect(l.res.status).toBe(200);
      expect(l.res.headers.getSetCookie()).toEqual([]);
      expect(l.body).toContain('data-mode="login"');
      expect(l.body).toContain(`data-platform-origin="${sim.url}"`);
      expect(l.body).toContain('src="/static/js/lti-storage.js"');
      const state = /data-state="([^"]+)"/.exec(l.body)![1]!;
      const nonce = /data-nonce="([^"]+)"/.exec(l.body)![1]!;
      const idToken = await sim.forgeIdToken(sim.launchClaims(USERS.learner, nonce));
      const step = await postLaunch(tool, { id_token: idToken, state });
      expect(step.res.status).toBe(200);
      expect(step.body).toContain('data-mode="launch"');
      const wrong = await postLaunch(tool, { id_token: idToken, state, lti_storage_proof: 'other' });
      expect(code(wrong.body)).toBe('state_mismatch');
      const ok = await postLaunch(tool, { id_token: idToken, state, lti_storage_proof: state });
      expect(ok.res.status).toBe(303);
      expect(ok.res.headers.get('location')).toMatch(/[?&]ls=[\w-]{43}/);
    });
  });

  describe('each bad id_token is refused with its code and status', () => {
    const now = () => Math.floor(Date.now() / 1000);
    type Case = [
      string,
      number,
      (claims: Record<string, unknown>) => Record<string, unknown>,
      Parameters<SimulatedPlatform['forgeIdToken']>[1],
    ];
    const without = (k: string) => (c: Record<string, unknown>) => {
      const copy = { ...c };
      delete copy[k];
      return copy;
    };
    const cases: Case[] = [
      ['alg_forbidden', 401, (c) => c, { alg: 'none' }],
      ['alg_forbidden', 401, (c) => c, { alg: 'HS256' }],
      ['kid_missing', 401, (c) => c, { kid: null }],
      ['kid_unknown', 401, (c) => c, { kid: 'no-such-kid' }],
      ['signature_invalid', 401, (c) => c, { key: 'stranger' }],
      ['iss_mismatch', 401, (c) => ({ ...c, iss: 'https://other.example' }), {}],
      ['aud_mismatch', 401, (c) => ({ ...c, aud: 'someone-else' }), {}],
      ['azp_missing', 401, (c) => ({ ...c, aud: [c.aud, 'other'] }), {}],
      ['azp_mismatch', 401, (c) => ({ ...c, aud: [c.aud, 'other'], azp: 'other' }), {}],
      ['token_expired', 401, (c) => ({ ...c, iat: now() - 600, exp: now() - 300 }), {}],
      ['iat_future', 401, (c) => ({ ...c, iat: now() + 3600, exp: now() + 3700 }), {}],
      ['iat_missing', 401, without('iat'), {}],
      ['nonce_missing', 401, without('nonce'), {}],
      ['nonce_unknown', 401, (c) => ({ ...c, nonce: 'never-issued' }), {}],
      ['version_invalid', 400, (c) => ({ ...c, [`${LTI}version`]: '1.1' }), {}],
      ['message_type_missing', 400, without(`${LTI}message_type`), {}],
      ['deployment_missing', 400, without(`${LTI}deployment_id`), {}],
      ['resource_link_missing', 400, without(`${LTI}resource_link`), {}],
      ['target_link_uri_missing', 400, without(`${LTI}target_link_uri`), {}],
      ['roles_missing', 400, without(`${LTI}roles`), {}],
      ['sub_missing', 400, without('sub'), {}],
    ];
    it.each(cases)('%s (%d)', async (expected, status, edit, forge) => {
      const l = await login(tool, sim);
      const idToken = await sim.forgeIdToken(edit(sim.launchClaims(USERS.learner, l.nonce)), forge);
      const r = await postLaunch(tool, { id_token: idToken, state: l.state }, l.jar);
      expect(code(r.body)).toBe(expected);
      expect(r.res.status).toBe(status);
      expect(r.body).toContain('<html lang="fr">');
    });

    it('a NUL character in a signed claim is refused as claims_invalid (400), not a server error', async () => {
      const l = await login(tool, sim);
      const token = await sim.forgeIdToken({
        ...sim.launchClaims(USERS.learner, l.nonce),
        sub: 'user\u00001',
      });
      const r = await postLaunch(tool, { id_token: token, state: l.state }, l.jar);
      expect(code(r.body)).toBe('claims_invalid');
      expect(r.res.status).toBe(400);
    });

    it('a signed sub too long for an id (over 255 characters) is refused as claims_invalid, not a server error', async () => {
      const l = await login(tool, sim);
      const token = await sim.forgeIdToken({
        ...sim.launchClaims(USERS.learner, l.nonce),
        sub: 'u'.repeat(3000),
      });
      const r = await postLaunch(tool, { id_token: token, state: l.state }, l.jar);
      expect(code(r.body)).toBe('claims_invalid');
      expect(r.res.status).toBe(400);
    });

    it('token_missing and token_malformed', async () => {
      for (const [token, expected] of [
        [undefined, 'token_missing'],
        ['not.a-jwt', 'token_malformed'],
      ] as const) {
        const l = await login(tool, sim);
        const fields: Record<string, string> = { state: l.state };
        if (token) fields.id_token = token;
        const r = await postLaunch(tool, fields, l.jar);
        expect(code(r.body)).toBe(expected);
        expect(r.res.status).toBe(400);
        expect(r.body).toContain('<html lang="en">');
      }
    });

    it('an unknown deployment is refused (403) and a deployment other than the login announced (400)', async () => {
      const l = await login(tool, sim, USERS.learner, { lti_deployment_id: '' });
      const token = await sim.forgeIdToken(sim.launchClaims(USERS.learner, l.nonce, { deploymentId: '999' }));
      const r = await postLaunch(tool, { id_token: token, state: l.state }, l.jar);
      expect(code(r.body)).toBe('deployment_unknown');
      expect(r.res.status).toBe(403);
    });

    it('a replayed id_token is refused', async () => {
      const first = await sim.loginAndLaunch(tool.url, USERS.learner, { followRedirects: false });
      expect(first.response.status).toBe(303);
      const l = await login(tool, sim);
      const r = await postLaunch(tool, { id_token: first.idToken!, state: l.state }, l.jar);
      expect(code(r.body)).toBe('nonce_replayed');
      expect(r.res.status).toBe(401);
    });

    it('a state cannot be used twice', async () => {
      const l = await login(tool, sim);
      const token = await sim.forgeIdToken(sim.launchClaims(USERS.learner, l.nonce));
      expect((await postLaunch(tool, { id_token: token, state: l.state }, l.jar)).res.status).toBe(303);
      const again = await postLaunch(tool, { id_token: token, state: l.state }, l.jar);
      expect(again.res.status).toBe(401);
      expect(code(again.body)).toBe('state_expired');
    });
  });

  // The usual launch is verified first and then takes its state in one statement (launch.ts): these
  // are the cases where the token verifies on its own but does not belong to this login.
  describe('a token that verifies but is not for this login is refused as before', () => {
    let other: SimulatedPlatform;
    let twoDeployments: SimulatedPlatform;

    beforeAll(async () => {
      other = await startPlatform();
      await registerManually(db, tool.clock, other, tool);
      twoDeployments = await startPlatform();
      const record = await registerManually(db, tool.clock, twoDeployments, tool);
      await createPlatformRepository(db, tool.clock).addDeployment(record.id, 'second');
    });
    afterAll(async () => {
      await other.close();
      await twoDeployments.close();
    });

    it("another registered platform's token, with this login's nonce, cannot take its state", async () => {
      const l = await login(tool, sim);
      const foreign = await other.forgeIdToken(other.launchClaims(USERS.learner, l.nonce));
      const r = await postLaunch(tool, { id_token: foreign, state: l.state }, l.jar);
      expect(r.res.status).toBe(401);
      expect(code(r.body)).toBe('kid_unknown');
      const sessions = await db.kysely
        .selectFrom('launch_sessions')
        .innerJoin('platforms', 'platforms.id', 'launch_sessions.platform_id')
        .select('launch_sessions.id')
        .where('platforms.issuer', '=', other.issuer)
        .execute();
      expect(sessions).toEqual([]);
      // The refused launch spent the state, as any refused launch does.
      const own = await sim.forgeIdToken(sim.launchClaims(USERS.learner, l.nonce));
      expect(code((await postLaunch(tool, { id_token: own, state: l.state }, l.jar)).body)).toBe(
        'state_expired',
      );
    });

    it('a registered deployment other than the one the login announced (400)', async () => {
      const l = await login(tool, twoDeployments);
      const token = await twoDeployments.forgeIdToken(
        twoDeployments.launchClaims(USERS.learner, l.nonce, { deploymentId: 'second' }),
      );
      const r = await postLaunch(tool, { id_token: token, state: l.state }, l.jar);
      expect(code(r.body)).toBe('deployment_mismatch');
      expect(r.res.status).toBe(400);
      // Without a deployment in the login, the same registered deployment is accepted.
      const open = await login(tool, twoDeployments, USERS.learner, { lti_deployment_id: '' });
      const ok = await twoDeployments.forgeIdToken(
        twoDeployments.launchClaims(USERS.learner, open.nonce, { deploymentId: 'second' }),
      );
      expect((await postLaunch(tool, { id_token: ok, state: open.state }, open.jar)).res.status).toBe(303);
    });
  });

  describe('headers', () => {
    it('CSP lets the active platform frame the tool, and referrers are never sent', async () => {
      const res = await fetch(`${tool.url}/healthz`);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:");
      expect(csp).toMatch(new RegExp(`frame-ancestors 'self' ${sim.url.replace(/\./g, '\\.')}`));
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    });

    it('refusal pages may be framed by any site (an LMS not yet active shows them), LTI pages by active platforms, admin pages by no one', async () => {
      const frameAncestors = (r: Response) =>
        /frame-ancestors ([^;]*)/.exec(r.headers.get('content-security-policy') ?? '')?.[1];
      const refused = await fetch(
        `${tool.url}/lti/login?iss=https://unknown.example&login_hint=1&target_link_uri=${tool.url}/lti/launch`,
      );
      expect(refused.status).toBe(400);
      expect(frameAncestors(refused)).toBe('*');
      const registration = await fetch(`${tool.url}/lti/register`);
      expect(registration.status).toBe(400);
      expect(frameAncestors(registration)).toBe('*');
      const { ls } = await launchToLtiPage(tool, sim, USERS.learner);
      const activity = await fetch(`${tool.url}/lti/activity?ls=${encodeURIComponent(ls ?? '')}`);
      expect(activity.status).toBe(200);
      expect(frameAncestors(activity)).toContain(`'self' ${sim.url}`);
      expect(frameAncestors(activity)).not.toContain('*');
      // Administration: no one, not even an active platform (clickjacking of Activate or Remove).
      const admin = await fetch(`${tool.url}/admin/login`);
      expect(admin.status).toBe(200);
      expect(frameAncestors(admin)).toBe("'none'");
    });
  });
});
