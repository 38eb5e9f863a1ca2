import {
  AgsClient,
  NrpsClient,
  SCOPES,
  scoresUrl,
  TokenClient,
  type Fetch,
  type Score,
  type ServicePlatform,
} from '../../../lti';
import { startPlatform, USERS, type SimulatedPlatform } from '../../support/platform';
import { serveToolJwks } from './tool-server';

let sim: SimulatedPlatform;
let tool: Awaited<ReturnType<typeof serveToolJwks>>;
let platform: ServicePlatform;
const clock = { now: () => Date.now() };
const granted = [SCOPES.lineItem, SCOPES.lineItemReadOnly, SCOPES.resultReadOnly, SCOPES.score];

beforeAll(async () => {
  tool = await serveToolJwks();
  sim = await startPlatform({ memberCount: 2000, nrpsPageSize: 500, agsPageSize: 3 });
  sim.setTool({ jwksUrl: tool.url, redirectUris: ['http://localhost/lti/launch'] });
  platform = { id: 'p1', ...sim.registration() };
});
afterAll(async () => {
  await sim.close();
  await tool.close();
});

/** Global fetch, counting calls to the token endpoint. */
function countingFetch() {
  const counts = { token: 0, all: 0 };
  const f: Fetch = (input, init) => {
    counts.all++;
    if (String(input).includes('/token.php')) counts.token++;
    return fetch(input, init);
  };
  return { counts, fetch: f };
}

function clients() {
  const { counts, fetch } = countingFetch();
  const tokens = new TokenClient({ fetch, clock, signer: tool.keys });
  return {
    counts,
    tokens,
    ags: new AgsClient({ tokens, fetch, clock }),
    nrps: new NrpsClient({ tokens, fetch, clock }),
  };
}

function score(userId: string, timestamp: Date, given = 42): Score {
  return {
    userId,
    timestamp: timestamp.toISOString(),
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    scoreGiven: given,
    scoreMaximum: 100,
  };
}

describe('client credentials token', () => {
  test('the platform verifies our client assertion against our JWKS URL; the token is cached', async () => {
    const { tokens, counts } = clients();
    const before = sim.tokenRequests.length;
    const t1 = await tokens.getToken(platform, [SCOPES.score], granted);
    const t2 = await tokens.getToken(platform, [SCOPES.score], granted);
    expect(t1).toBe(t2);
    expect(counts.token).toBe(1);
    expect(sim.tokenRequests.length).toBe(before + 1);
    const { claims, scope } = sim.tokenRequests.at(-1)!;
    expect(scope).toBe(SCOPES.score);
    expect(claims).toMatchObject({ iss: sim.clientId, sub: sim.clientId, aud: sim.tokenUrl });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(300);
    expect(tool.fetches()).toBeGreaterThanOrEqual(1);
  });

  test('concurrent requests share one token request; different scopes get their own', async () => {
    const { tokens, counts } = clients();
    const same = await Promise.all(
      Array.from({ length: 10 }, () => tokens.getToken(platform, [SCOPES.score])),
    );
    expect(new Set(same).size).toBe(1);
    await tokens.getToken(platform, [SCOPES.nrps]);
    expect(counts.token).toBe(2);
  });

  test('every assertion has a unique jti (the platform refuses replays)', async () => {
    const a = clients();
    const b = clients();
    await a.tokens.getToken(platform, [SCOPES.lineItem]);
    await b.tokens.getToken(platform, [SCOPES.lineItem]);
    const jtis = sim.tokenRequests.map((r) => r.claims.jti);
    expect(new Set(jtis).size).toBe(jtis.length);
  });

  test('only scopes the launch granted are requested', async () => {
    const { tokens } = clients();
    await expect(tokens.getToken(platform, [SCOPES.nrps], granted)).rejects.toMatchObject({
      code: 'scope_not_granted',
    });
    await tokens.getToken(platform, [SCOPES.lineItem, SCOPES.nrps], granted);
    expect(sim.tokenRequests.at(-1)!.scope).toBe(SCOPES.lineItem);
  });

  test('a platform that cannot verify us (wrong client id) → token_request_failed, not retryable', async () => {
    const { tokens } = clients();
    await expect(
      tokens.getToken({ ...platform, clientId: 'impostor' }, [SCOPES.score]),
    ).rejects.toMatchObject({
      code: 'token_request_failed',
      details: { retryable: false, status: 401 },
    });
  });
});

describe('AGS', () => {
  test('create, page through and get line items', async () => {
    const { ags } = clients();
    const lineItems = sim.lineItemsUrl('course-ags');
    for (let i = 0; i < 7; i++) {
      const r = await ags.createLineItem(
        platform,
        lineItems,
        { label: `Item ${i}`, scoreMaximum: 100, resourceLinkId: i < 5 ? 'rl-1' : 'rl-2', tag: 'pix' },
        granted,
      );
      expect(r.kind).toBe('ok');
    }
    const all = await ags.listLineItems(platform, lineItems, {}, granted);
    expect(all.kind === 'ok' && all.value.map((i) => i.label)).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => `Item ${i}`),
    );
    const rl1 = await ags.listLineItems(
      platform,
      lineItems,
      { resourceLinkId: 'rl-1', tag: 'pix', limit: 2 },
      granted,
    );
    expect(rl1.kind === 'ok' && rl1.value).toHaveLength(5);
    const first = all.kind === 'ok' ? all.value[0]! : null;
    const got = await ags.getLineItem(platform, first!.id!, granted);
    expect(got).toMatchObject({ kind: 'ok', value: { label: 'Item 0', scoreMaximum: 100 } });
  });

  test('update a line item (PUT, the whole item with its id) and delete it', async () => {
    const { ags } = clients();
    const url = sim.addLineItem('course-1', { label: 'Diagnostic', scoreMaximum: 100, tag: 'pix' });
    const got = await ags.getLineItem(platform, url, granted);
    if (got.kind !== 'ok') throw new Error('no line item');
    const { id: _id, ...fields } = got.value;
    const updated = await ags.updateLineItem(
      platform,
      url,
      { ...fields, label: 'Diagnostic (v2)', scoreMaximum: 40 },
      granted,
    );
    expect(updated).toMatchObject({
      kind: 'ok',
      value: { id: url, label: 'Diagnostic (v2)', scoreMaximum: 40, tag: 'pix' },
    });
    const put = sim.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(put.headers['content-type']).toBe('application/vnd.ims.lis.v2.lineitem+json');
    expect(JSON.parse(put.body)).toMatchObject({ id: url, label: 'Diagnostic (v2)' });
    expect(await ags.getLineItem(platform, url, granted)).toMatchObject({
      kind: 'ok',
      value: { label: 'Diagnostic (v2)' },
    });

    expect(await ags.deleteLineItem(platform, url, granted)).toEqual({
      kind: 'ok',
      status: 204,
      value: null,
    });
    expect(await ags.getLineItem(platform, url, granted)).toMatchObject({ kind: 'permanent', status: 404 });
  });

  test('a launch that granted line items read-only cannot update or delete one', async () => {
    const { ags } = clients();
    const url = sim.addLineItem('course-1', { label: 'Read only', scoreMaximum: 10 });
    const readOnly = [SCOPES.lineItemReadOnly];
    expect(await ags.getLineItem(platform, url, readOnly)).toMatchObject({ kind: 'ok' });
    expect(await ags.updateLineItem(platform, url, { label: 'x', scoreMaximum: 1 }, readOnly)).toMatchObject({
      kind: 'permanent',
    });
    expect(await ags.deleteLineItem(platform, url, readOnly)).toMatchObject({ kind: 'permanent' });
    expect(await ags.getLineItem(platform, url, readOnly)).toMatchObject({
      kind: 'ok',
      value: { label: 'Read only' },
    });
  });

  test("a score goes to {lineitem}/scores keeping Moodle's ?type_id, with the score media type", async () => {
    const { ags } = clients();
    const url = sim.addLineItem('course-1', { label: 'Diag', scoreMaximum: 100 });
    expect(scoresUrl(url)).toMatch(/\/lineitem\/scores\?type_id=1$/);
    const s = score(USERS.learner.id, new Date());
    expect(await ags.postScore(platform, url, s, granted)).toEqual({ kind: 'ok', status: 200, value: null });
    expect(sim.scoresFor(url)).toEqual([s]);
    const req = sim.requests.filter((r) => r.path.endsWith('/scores')).at(-1)!;
    expect(req.query.type_id).toBe('1');
    expect(req.headers['content-type']).toBe('application/vnd.ims.lis.v1.score+json');
    expect(req.headers.authorization).toMatch(/^Bearer \S+$/);
  });

  test('a score is validated before any call: milliseconds, enums, scoreGiven with scoreMaximum', async () => {
    const { ags, counts } = clients();
    const url = sim.addLineItem('course-1', { label: 'Diag', scoreMaximum: 100 });
    const ok = score(USERS.learner.id, new Date());
    const bad: unknown[] = [
      { ...ok, timestamp: '2024-01-01T10:00:00Z' },
      { ...ok, activityProgress: 'Done' },
      { ...ok, gradingProgress: 'Graded' },
      { ...ok, scoreMaximum: undefined },
    ];
    for (const b of bad) {
      await expect(ags.postScore(platform, url, b as Score, granted)).rejects.toMatchObject({
        code: 'score_invalid',
      });
    }
    expect(counts.all).toBe(0);
  });

  test("Moodle's 409 (same second) and 400 (not a learner) are permanent, with the platform's message", async () => {
    const { ags } = clients();
    const url = sim.addLineItem('course-1', { label: 'Diag', scoreMaximum: 100 });
    const t = new Date(Math.floor(Date.now() / 1000) * 1000 + 100);
    expect((await ags.postScore(platform, url, score(USERS.learner2.id, t), granted)).kind).toBe('ok');
    const sameSecond = new Date(t.getTime() + 500);
    expect(await ags.postScore(platform, url, score(USERS.learner2.id, sameSecond), granted)).toMatchObject({
      kind: 'permanent',
      status: 409,
      message: expect.stringContaining('timestamp'),
    });
    const nextSecond = new Date(t.getTime() + 1000);
    expect((await ags.postScore(platform, url, score(USERS.learner2.id, nextSecond), granted)).kind).toBe(
      'ok',
    );
    expect(await ags.postScore(platform, url, score(USERS.instructor.id, nextSecond), granted)).toMatchObject(
      {
        kind: 'permanent',
        status: 400,
      },
    );
  });

  test('429 with Retry-After, 503 and network errors are retryable', async () => {
    const { ags, tokens } = clients();
    const url = sim.addLineItem('course-1', { label: 'Diag', scoreMaximum: 100 });
    sim.failNext('scores', 429, { 'Retry-After': '7' });
    expect(await ags.postScore(platform, url, score(USERS.learner.id, new Date()), granted)).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 7000,
    });
    sim.failNext('scores', 503);
    expect(await ags.postScore(platform, url, score(USERS.learner.id, new Date()), granted)).toMatchObject({
      kind: 'retryable',
      status: 503,
    });
    const down = new AgsClient({ tokens, fetch: () => Promise.reject(new Error('ECONNREFUSED')), clock });
    expect(await down.postScore(platform, url, score(USERS.learner.id, new Date()), granted)).toMatchObject({
      kind: 'retryable',
      status: null,
    });
  });

  test('a revoked access token is renewed once, transparently', async () => {
    const { ags, counts } = clients();
    const url = sim.addLineItem('course-1', { label: 'Diag', scoreMaximum: 100 });
    expect((await ags.postScore(platform, url, score(USERS.learner.id, new Date()), granted)).kind).toBe(
      'ok',
    );
    sim.revokeAccessTokens();
    await new Promise((r) => setTimeout(r, 1000));
    expect((await ags.postScore(platform, url, score(USERS.learner.id, new Date()), granted)).kind).toBe(
      'ok',
    );
    expect(counts.token).toBe(2);
  });
});

describe('NRPS', () => {
  test('2,000 generated members (and the presets) through Link rel="next" pages, zod-validated', async () => {
    const { nrps } = clients();
    const r = await nrps.members(platform, sim.membershipsUrl('course-1'));
    if (r.kind !== 'ok') throw new Error(r.message);
    expect(r.value.members.length).toBe(sim.members('course-1').length);
    expect(r.value.members.filter((m) => m.user_id.startsWith('gen-'))).toHaveLength(2000);
    expect(new Set(r.value.members.map((m) => m.user_id)).size).toBe(r.value.members.length);
    expect(r.value.context).toMatchObject({ id: 'course-1' });
    const memberships = sim.requests.filter((q) => q.path.endsWith('/memberships'));
    expect(memberships.length).toBeGreaterThanOrEqual(5);
    expect(memberships.at(-1)!.headers.accept).toBe(
      'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
    );
  });
});
