import { SignJWT } from 'jose';
import { MemoryKeyStore, ToolKeySet } from '../../../lti';
import { parseForm, startPlatform, USERS, type SimulatedPlatform } from '../../support/platform';
import { serveToolJwks } from './tool-server';

/** The simulator is strict where a real platform is: these prove it can fail, so tests relying on it mean something. */
let sim: SimulatedPlatform;
let tool: Awaited<ReturnType<typeof serveToolJwks>>;
const LAUNCH = 'http://localhost:9/lti/launch';

beforeAll(async () => {
  tool = await serveToolJwks();
  sim = await startPlatform();
  sim.setTool({ redirectUris: [LAUNCH], jwksUrl: tool.url });
});
afterAll(async () => {
  await sim.close();
  await tool.close();
});

function authQuery(over: Record<string, string | undefined> = {}) {
  const { loginHint, messageHint } = sim.prepareLaunch(USERS.learner);
  const q: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: sim.clientId,
    redirect_uri: LAUNCH,
    login_hint: loginHint,
    lti_message_hint: messageHint,
    state: 's1',
    nonce: 'n1',
    ...over,
  };
  const u = new URL(sim.authUrl);
  for (const [k, v] of Object.entries(q)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

describe('simulated platform', () => {
  test('a proper auth request gets an auto-submitting form with id_token and state', async () => {
    const res = await fetch(authQuery());
    const form = parseForm(await res.text());
    expect(form?.action).toBe(LAUNCH);
    expect(form?.fields.state).toBe('s1');
    expect(form?.fields.id_token?.split('.')).toHaveLength(3);
  });

  test('answers a message hint once, and once more only when told to reuse it', async () => {
    const url = authQuery();
    const hint = new URL(url).searchParams.get('lti_message_hint')!;
    expect((await fetch(url)).status).toBe(200);
    const again = await fetch(url);
    expect(again.status).toBe(400);
    expect(sim.authRejections.at(-1)).toMatch(/lti_message_hint/);
    sim.reuseMessageHint(hint);
    const reused = await fetch(url);
    expect(parseForm(await reused.text())?.fields.state).toBe('s1');
    expect((await fetch(url)).status).toBe(400);
    expect(() => sim.reuseMessageHint('{"launchid":"never-answered"}')).toThrow(/never-answered/);
  });

  test.each([
    [{ redirect_uri: 'http://evil.example/launch' }, /redirect_uri/],
    [{ client_id: 'other' }, /client_id/],
    [{ nonce: undefined }, /nonce/],
    [{ prompt: 'login' }, /prompt/],
    [{ response_mode: 'query' }, /response_mode/],
    [{ lti_message_hint: '{"altered":1}' }, /lti_message_hint/],
    [{ login_hint: 'someone-else' }, /login_hint/],
  ])('refuses %p', async (over, reason) => {
    const res = await fetch(authQuery(over));
    expect(res.status).toBe(400);
    expect(sim.authRejections.at(-1)).toMatch(reason);
  });

  test('the token endpoint refuses a replayed assertion and one signed by a key we never published', async () => {
    const form = async (assertion: string) =>
      fetch(sim.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
          scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        }).toString(),
      });
    const assertionWith = async (signer: ToolKeySet) => {
      const { kid, privateKey } = await signer.signingKey(Date.now());
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(sim.clientId)
        .setSubject(sim.clientId)
        .setAudience(sim.tokenUrl)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(`jti-${Math.random()}`)
        .sign(privateKey);
    };
    const a = await assertionWith(tool.keys);
    expect((await form(a)).status).toBe(200);
    expect((await form(a)).status).toBe(401);
    const stranger = new ToolKeySet({ store: new MemoryKeyStore() });
    expect((await form(await assertionWith(stranger))).status).toBe(401);
  });

  test('services need a bearer token', async () => {
    const res = await fetch(sim.membershipsUrl(), {
      headers: { Accept: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json' },
    });
    expect(res.status).toBe(401);
  });

  test('key rotation keeps the old key published unless told otherwise', async () => {
    const old = sim.currentKid;
    const next = await sim.rotateKey();
    expect(sim.jwks().keys.map((k) => k.kid)).toEqual([next, old]);
    const res = await fetch(sim.jwksUrl);
    expect(((await res.json()) as { keys: unknown[] }).keys).toHaveLength(2);
  });
});
