import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPlatformRepository } from '../../../src/db/repositories/platforms';
import type { AttemptEvent, AttemptEventSink, LearningRandom } from '../../../src/learning';
import { buildTestApp, testContent, type TestApp } from '../../support/app';
import { createTestDb, type TestDb } from '../../support/databases';
import { startPlatform, USERS, type SimulatedPlatform, type SimUser } from '../../support/platform';
import type { Dialect } from '../../../src/db';
import type { Challenge, ContentBank } from '../../../src/content/bank';
import { variantsFor } from '../../../src/assessment';

export const manualClock = (start = Date.UTC(2025, 8, 1, 8)) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms), set: (ms: number) => (t = ms) };
};

/** Deterministic ids, seeds and codes, so runs are reproducible. */
export function counterRandom(): LearningRandom {
  let n = 0;
  return {
    id: () => `id-${++n}`,
    seed: () => (++n * 2654435761) >>> 0,
    code: () => {
      const a = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
      let s = '';
      let v = ++n * 7919;
      for (let i = 0; i < 12; i++) {
        s += a[v % a.length];
        v = Math.floor(v / a.length) + i * 13 + 5;
        if (i === 3 || i === 7) s += '-';
      }
      return s;
    },
  };
}

/** A sink that remembers what it saw, and writes nothing. */
export function recordingSink(): AttemptEventSink & { events: AttemptEvent[] } {
  const events: AttemptEvent[] = [];
  return {
    events,
    async record(_tx, event) {
      events.push(event);
    },
  };
}

export interface Harness extends TestApp {
  db: TestDb;
  sim: SimulatedPlatform;
  url: string;
  clock: ReturnType<typeof manualClock>;
  sink: ReturnType<typeof recordingSink>;
  close(): Promise<void>;
  /** Launches through the simulator (real OIDC round trip) and returns the launch-session token. */
  launch(
    user?: SimUser,
    opts?: { resourceLinkId?: string; activity?: string; locale?: string; custom?: Record<string, string> },
  ): Promise<{ ls: string; url: string; body: string; status: number }>;
  get(
    path: string,
    ls: string,
    query?: Record<string, string>,
  ): Promise<{ status: number; body: string; url: string }>;
  post(
    path: string,
    ls: string,
    fields: Array<[string, string]> | Record<string, string>,
  ): Promise<{ status: number; location: string | null; body: string }>;
}

/** The real app on localhost over HTTP, the LMS simulator on 127.0.0.1, a manual registration. */
export async function startHarness(
  dialect: Dialect,
  opts: { timerGraceMs?: number; content?: ContentBank } = {},
): Promise<Harness> {
  const db = await createTestDb(dialect);
  const clock = manualClock();
  const sink = recordingSink();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  // Token lifetimes and launch checks use real time; the learning clock is the manual one.
  const built = await buildTestApp(db, {
    env: { PUBLIC_URL: url },
    content: opts.content ?? testContent(),
    attemptEventSinks: [sink],
    learningRandom: counterRandom(),
  });
  if (built.services.learning) {
    built.services.learning.clock = clock;
    if (opts.timerGraceMs !== undefined) built.services.learning.timerGraceMs = opts.timerGraceMs;
  }
  server.on('request', built.app);
  const sim = await startPlatform();
  sim.setTool({ redirectUris: [`${url}/lti/launch`], jwksUrl: `${url}/.well-known/jwks.json` });
  await createPlatformRepository(db, { now: () => Date.now() }).add({
    ...sim.registration(),
    name: 'Simulated Moodle',
    status: 'active',
    source: 'manual',
  });

  const withLs = (path: string, ls: string, query: Record<string, string> = {}) => {
    const u = new URL(path, url);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    u.searchParams.set('ls', ls);
    return u.toString();
  };

  return {
    ...built,
    db,
    sim,
    url,
    clock,
    sink,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.close();
      await db.drop();
    },
    async launch(user = USERS.learner, o = {}) {
      const custom = { ...(o.activity ? { activity: o.activity } : {}), ...o.custom };
      const r = await sim.loginAndLaunch(url, user, {
        resourceLinkId: o.resourceLinkId ?? 'rl-1',
        resourceLinkTitle: 'Activité du cours',
        custom,
        ...(o.locale ? { locale: o.locale } : {}),
      });
      const ls = new URL(r.url).searchParams.get('ls') ?? '';
      return { ls, url: r.url, body: r.body, status: r.response.status };
    },
    async get(path, ls, query = {}) {
      let target = withLs(path, ls, query);
      for (let i = 0; i < 6; i++) {
        const res = await fetch(target, { redirect: 'manual' });
        const loc = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && loc) {
          target = new URL(loc, target).toString();
          continue;
        }
        return { status: res.status, body: await res.text(), url: target };
      }
      throw new Error('too many redirects');
    },
    async post(path, ls, fields) {
      const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
      body.set('ls', ls);
      const res = await fetch(new URL(path, url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        redirect: 'manual',
      });
      return { status: res.status, location: res.headers.get('location'), body: await res.text() };
    },
  };
}

/** The challenge id the runner page answers (hidden field), or undefined when not on the runner. */
export const challengeIdOf = (page: string) => /name="challengeId" value="([^"]+)"/.exec(page)?.[1];
/** The heading of a page. */
export const h1Of = (page: string) =>
  /<h1[^>]*>([\s\S]*?)<\/h1>/
    .exec(page)?.[1]
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
export const pathOf = (url: string) => new URL(url).pathname;

/** Form fields answering a challenge right (tests read the bank on the server side). */
export function rightAnswer(c: Challenge, locale: 'fr' | 'en' = 'fr'): Array<[string, string]> {
  switch (c.type) {
    case 'QCU':
      return [['choice', c.solution]];
    case 'QCM':
      return c.solution.map((id) => ['choice', id] as [string, string]);
    case 'QROC':
    case 'QROCM-ind':
      return c.fields.map((f) => [
        `field.${f.id}`,
        variantsFor(c.solution[f.id]!, locale)[0]!.replace('.', ','),
      ]);
    case 'QROCM-dep':
      return c.fields.map((f, i) => [`field.${f.id}`, variantsFor(c.solution.groups[i]!, locale)[0]!]);
  }
}

/** Form fields answering a challenge wrong. */
export function wrongAnswer(c: Challenge): Array<[string, string]> {
  if (c.type === 'QCU') return [['choice', c.proposals.find((p) => p.id !== c.solution)!.id]];
  if (c.type === 'QCM') return [['choice', c.proposals.find((p) => !c.solution.includes(p.id))!.id]];
  return c.fields.map((f) => [`field.${f.id}`, 'zzzz qqqq'] as [string, string]);
}

/** The bank with a timer on one challenge (the committed content has no timed challenge yet). */
export function withTimer(bank: ContentBank, challengeId: string, seconds: number): ContentBank {
  const challenges = new Map(bank.challenges);
  challenges.set(challengeId, { ...bank.challenges.get(challengeId)!, timer: seconds });
  return { ...bank, challenges };
}
