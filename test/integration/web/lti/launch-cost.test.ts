import type { LogEvent } from 'kysely';
import { createTestDb, testDialects, type TestDb } from '../../../support/databases';
import { CookieJar, startPlatform, USERS, type SimulatedPlatform } from '../../../support/platform';
import { registerManually, startTool, type ToolServer } from './tool-server';

/**
 * Records the kind and table of every statement the database runs, read from the executed SQL (the
 * hot statements are prepared once, so a query-builder plugin would not see them).
 */
class StatementLog {
  readonly statements: string[] = [];
  readonly sql: string[] = [];
  readonly hook = (event: LogEvent) => {
    if (event.level !== 'query') return;
    const text = event.query.sql.trim();
    this.sql.push(text);
    const kind = /^\w+/.exec(text)?.[0]?.toLowerCase() ?? '?';
    if (kind === 'begin' || kind === 'commit' || kind === 'rollback') return void this.statements.push(kind);
    if (kind === 'with') {
      // A data-modifying CTE: each write it makes, in order, as one statement.
      const writes = [...text.matchAll(/\b(update|insert\s+into|delete\s+from)\s+"?(\w+)"?/gi)];
      return void this.statements.push(
        writes.map((w) => `${w[1]!.split(/\s/)[0]!.toLowerCase()} ${w[2]}`).join(' + '),
      );
    }
    const table =
      /^(?:update|insert\s+into|delete\s+from)\s+"?(\w+)"?/i.exec(text)?.[1] ??
      /\bfrom\s+"?(\w+)"?/i.exec(text)?.[1] ??
      '?';
    this.statements.push(`${kind} ${table}`);
  };
}

describe.each(testDialects())('what a launch costs the database on %s', (dialect) => {
  let db: TestDb;
  let sim: SimulatedPlatform;
  let tool: ToolServer;
  const log = new StatementLog();

  beforeAll(async () => {
    db = await createTestDb(dialect, { log: log.hook });
    sim = await startPlatform();
    tool = await startTool(db);
    await registerManually(db, tool.clock, sim, tool);
  });
  afterAll(async () => {
    await tool.close();
    await sim.close();
    await db.drop();
  });

  it('login: one insert (the state and its nonce); launch: the state taken and the session inserted, in one statement on PostgreSQL', async () => {
    // The first launch warms the platform cache; the next ones are the steady state.
    await sim.loginAndLaunch(tool.url, USERS.learner, { followRedirects: false });
    for (const user of [USERS.learner, USERS.instructor]) {
      log.statements.length = 0;
      log.sql.length = 0;
      const r = await sim.loginAndLaunch(tool.url, user, { followRedirects: false });
      expect(r.response.status).toBe(303);
      const writes = log.statements.filter((st) => !st.startsWith('select'));
      expect(writes).toEqual(
        dialect === 'postgres'
          ? ['insert oidc_states', 'update oidc_states + insert launch_sessions']
          : ['insert oidc_states', 'update oidc_states', 'insert launch_sessions'],
      );
      // The state is taken by the statement that checks the token's nonce, platform and deployment
      // (the one-statement launch), not by the careful path's take, which checks none of them.
      const take = log.sql.find((q) => /update "oidc_states"/.test(q));
      for (const column of ['nonce', 'platform_id', 'deployment_id']) expect(take).toContain(`"${column}" =`);
      // Reads: none on the hot path, except a platform read when a cache of a few seconds (platform
      // record, frame-ancestors list) expires on a slow machine.
      const reads = log.statements.filter((st) => st.startsWith('select'));
      expect(reads.filter((st) => !/^select (platforms|deployments)$/.test(st))).toEqual([]);
      expect(reads.length).toBeLessThanOrEqual(4);
    }
  });

  it('a replayed id_token, brought by a fresh login, is still refused as a replay', async () => {
    const first = await sim.loginAndLaunch(tool.url, USERS.learner, { followRedirects: false });
    expect(first.response.status).toBe(303);
    // A new login for the same user: its state carries a new nonce, the old token carries the old one.
    const params = sim.loginParams(USERS.learner, { targetLinkUri: `${tool.url}/lti/launch` });
    const login = await fetch(`${tool.url}/lti/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      redirect: 'manual',
    });
    const jar = new CookieJar();
    jar.store(`${tool.url}/lti/login`, login);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const replay = await fetch(`${tool.url}/lti/launch`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: jar.header(`${tool.url}/lti/launch`)!,
      },
      body: new URLSearchParams({ id_token: first.idToken!, state }).toString(),
      redirect: 'manual',
    });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('nonce_replayed');
    // Posted again with its own state, the token meets a state already taken.
    const again = await fetch(`${tool.url}/lti/launch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token: first.idToken!, state: first.state! }).toString(),
      redirect: 'manual',
    });
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(/state_mismatch|state_expired/);
  });
});
