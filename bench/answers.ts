// npm run bench:answers: simulated learners answering through HTTP against one in-process server, on
// SQLite and PostgreSQL. Each learner is launched through the in-repo LMS simulator first (real OIDC
// round trip), starts the activity, then loops: GET the challenge page, POST an answer (right, wrong or
// skipped at random). Reports answers/s and p50/p95/p99 latency of both requests per concurrency level.
// Bounded: BENCH_SECONDS per level (default 15) and BENCH_MAX_ANSWERS per learner; loopback only.
// The tool runs in its own child process (BENCH_SERVER=process, the default) so that the simulated
// browsers do not share its event loop, and its CPU per answer is the server's alone;
// BENCH_SERVER=inline keeps everything in one process (how the first figures were taken).
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import pino from 'pino';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { loadContent } from '../src/content/load';
import { migrateToLatest, openDb, type DatabaseTarget } from '../src/db';
import { createPlatformRepository } from '../src/db/repositories/platforms';
import { variantsFor } from '../src/assessment';
import type { Challenge } from '../src/content/bank';
import { createServices, resolveSessionSecret } from '../src/services';
import { createApp } from '../src/web/app';
import { startPlatform, USERS, type SimulatedPlatform } from '../test/support/platform';
import { benchDatabase } from './support/database';

const LEVELS = (process.env.BENCH_LEVELS ?? '100,500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_ANSWERS = Number(process.env.BENCH_MAX_ANSWERS ?? 200);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const ACTIVITY = process.env.BENCH_ACTIVITY ?? 'rentree-6e';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LAUNCH_CONCURRENCY = 16;
/** Mean pause between an answer and the next page (0: closed loop, the server's saturation). */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
/** Requests started in the first seconds of a level (everyone arriving at once) are not measured. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SERVER_MODE = process.env.BENCH_SERVER === 'inline' ? 'inline' : 'process';
/** Set in the child process that runs the tool: the database target, as JSON. */
const CHILD_TARGET = process.env.BENCH_CHILD_TARGET;
/** Keep-alive connections, like a browser's; far cheaper per request than fetch. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const sleep = (msDelay: number) => new Promise((r) => setTimeout(r, msDelay));

const bank = loadContent();

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
  };
};
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

/** A deterministic per-learner stream of choices: 60 % right, 30 % wrong, 10 % skipped. */
function answerFields(c: Challenge, roll: number): Array<[string, string]> {
  if (roll < 0.1) return [['skip', '1']];
  const right = roll < 0.7;
  switch (c.type) {
    case 'QCU':
      return [['choice', right ? c.solution : c.proposals.find((p) => p.id !== c.solution)!.id]];
    case 'QCM':
      return right
        ? c.solution.map((id) => ['choice', id] as [string, string])
        : [['choice', c.proposals[0]!.id]];
    case 'QROC':
    case 'QROCM-ind':
      return c.fields.map((f) => [`field.${f.id}`, right ? variantsFor(c.solution[f.id]!, 'fr')[0]! : 'xyz']);
    case 'QROCM-dep':
      return c.fields.map((f, i) => [
        `field.${f.id}`,
        right ? variantsFor(c.solution.groups[i]!, 'fr')[0]! : 'xyz',
      ]);
  }
}

interface Learner {
  ls: string;
  answers: number;
  rng: () => number;
}

async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** One HTTP request on the keep-alive agent; resolves when the whole body has arrived. */
function send(
  method: 'GET' | 'POST',
  url: string,
  form?: string,
): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: form
          ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(form);
  });
}

/** The tool under test, wherever it runs. */
interface Tool {
  url: string;
  addPlatform(registration: ReturnType<SimulatedPlatform['registration']>): Promise<void>;
  /** The tool process's CPU time so far (process.cpuUsage). */
  cpu(): Promise<NodeJS.CpuUsage>;
  close(): Promise<void>;
}

async function startTool(target: DatabaseTarget) {
  const server = http.createServer();
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ PUBLIC_URL: url, LOG_LEVEL: 'silent' });
  const db = openDb(target);
  await migrateToLatest(db);
  const services = createServices(db, systemClock, { content: bank });
  const sessionSecret = await resolveSessionSecret(services, 'x'.repeat(32));
  const app = createApp({
    config,
    db,
    logger: pino({ level: 'silent' }),
    clock: systemClock,
    services,
    sessionSecret,
  });
  server.on('request', app);
  return {
    url,
    async addPlatform(registration: ReturnType<SimulatedPlatform['registration']>) {
      await createPlatformRepository(db, systemClock).add({
        ...registration,
        name: 'Bench LMS',
        status: 'active',
        source: 'manual',
      });
    },
    async cpu() {
      return process.cpuUsage();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await db.destroy();
    },
  } satisfies Tool;
}

type ToChild = { id: number; op: 'addPlatform'; registration: unknown } | { id: number; op: 'cpu' | 'close' };
type FromChild = { id: number; value?: unknown; error?: string } | { ready: string };

/** The child's side: run the tool and answer the parent's requests until told to close. */
async function serveAsChild(target: DatabaseTarget) {
  const tool = await startTool(target);
  process.on('message', (m: ToChild) => {
    const run = async () => {
      if (m.op === 'addPlatform')
        return tool.addPlatform(m.registration as Parameters<Tool['addPlatform']>[0]);
      if (m.op === 'cpu') return tool.cpu();
      await tool.close();
      return undefined;
    };
    run().then(
      (value) => {
        process.send!({ id: m.id, value } satisfies FromChild);
        if (m.op === 'close') process.disconnect();
      },
      (err: unknown) => process.send!({ id: m.id, error: String(err) } satisfies FromChild),
    );
  });
  process.send!({ ready: tool.url } satisfies FromChild);
}

async function startToolProcess(target: DatabaseTarget): Promise<Tool> {
  const child: ChildProcess = fork(__filename, [], {
    // BENCH_TOOL_NODE_ARGS: extra node flags for the tool only (e.g. --cpu-prof to profile the server).
    execArgv: [
      '-r',
      'ts-node/register/transpile-only',
      ...(process.env.BENCH_TOOL_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ],
    env: { ...process.env, BENCH_CHILD_TARGET: JSON.stringify(target) },
  });
  let next = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`tool process exited (${code})`)));
    child.on('message', (m: FromChild) => {
      if ('ready' in m) return resolve(m.ready);
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(new Error(m.error));
      else p?.resolve(m.value);
    });
  });
  const call = (m: { op: ToChild['op']; registration?: unknown }) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ ...m, id } as ToChild);
    });
  return {
    url,
    addPlatform: async (registration) => void (await call({ op: 'addPlatform', registration })),
    cpu: async () => (await call({ op: 'cpu' })) as NodeJS.CpuUsage,
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      await call({ op: 'close' });
      await exited;
    },
  };
}

async function launchLearners(
  sim: SimulatedPlatform,
  url: string,
  count: number,
  prefix: string,
): Promise<Learner[]> {
  const learners: Learner[] = new Array(count);
  await pool(
    Array.from({ length: count }, (_, i) => i),
    LAUNCH_CONCURRENCY,
    async (i) => {
      const user = { ...USERS.learner, id: `${prefix}-${i}`, name: `Learner ${i}` };
      const r = await sim.loginAndLaunch(url, user, {
        resourceLinkId: 'bench-link',
        custom: { activity: ACTIVITY },
      });
      const ls = new URL(r.url).searchParams.get('ls');
      if (!ls || r.response.status !== 200)
        throw new Error(`launch ${i} failed: ${r.response.status} ${r.url}`);
      await send('POST', `${url}/learn/start`, new URLSearchParams({ ls }).toString());
      let seed = crypto.createHash('sha256').update(user.id).digest().readUInt32BE(0);
      const rng = () => {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        return seed / 2 ** 32;
      };
      learners[i] = { ls, answers: 0, rng };
    },
  );
  return learners;
}

async function runLevel(tool: Tool, learners: Learner[]) {
  const { url } = tool;
  const getMs: number[] = [];
  const postMs: number[] = [];
  let stored = 0;
  let finished = 0;
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  // Learners do not all arrive in the same millisecond: spread the first requests over the think time.
  const arrival = (l: Learner) => (THINK_MS > 0 ? sleep(THINK_MS * l.rng()) : Promise.resolve());
  const began = performance.now();
  let cpuBefore = await tool.cpu();
  let clientBefore = process.cpuUsage();
  const warm = setTimeout(() => {
    void tool.cpu().then((c) => (cpuBefore = c));
    clientBefore = process.cpuUsage();
  }, WARMUP_SECONDS * 1000);
  await Promise.all(
    learners.map(async (l) => {
      await arrival(l);
      while (Date.now() < deadline && l.answers < MAX_ANSWERS) {
        let t = performance.now();
        const measured = t - began >= WARMUP_SECONDS * 1000;
        const page = await send('GET', `${url}/learn/challenge?ls=${encodeURIComponent(l.ls)}`);
        const body = page.body;
        if (measured) getMs.push(performance.now() - t);
        if (page.status === 303) {
          finished++;
          return; // results reached
        }
        const id = /name="challengeId" value="([^"]+)"/.exec(body)?.[1];
        if (page.status !== 200 || !id) {
          errors++;
          return;
        }
        const form = new URLSearchParams([
          ['ls', l.ls],
          ['challengeId', id],
          ...answerFields(bank.challenges.get(id)!, l.rng()),
        ]);
        t = performance.now();
        const res = await send('POST', `${url}/learn/answer`, form.toString());
        if (measured) postMs.push(performance.now() - t);
        if (res.status !== 303 || res.location?.includes('notice=already')) errors++;
        else {
          l.answers++;
          if (measured) stored++;
        }
        if (THINK_MS > 0 && Date.now() < deadline) await sleep(THINK_MS * (0.5 + l.rng()));
      }
    }),
  );
  clearTimeout(warm);
  // Throughput over the measured window (requests still in flight at the deadline finish after it).
  const seconds = (Math.min(performance.now(), began + SECONDS * 1000) - began) / 1000 - WARMUP_SECONDS;
  const cpuAfter = await tool.cpu();
  const client = process.cpuUsage(clientBefore);
  const used = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (a.user - b.user + a.system - b.system) / 1000;
  // Inline, the tool and the simulated browsers share this process: its CPU covers both sides.
  const cpuPerAnswer = stored ? used(cpuAfter, cpuBefore) / stored : NaN;
  const clientPerAnswer = stored ? (client.user + client.system) / 1000 / stored : NaN;
  return {
    seconds,
    stored,
    finished,
    errors,
    get: stats(getMs),
    post: stats(postMs),
    cpuPerAnswer,
    clientPerAnswer,
  };
}

async function benchDialect(dialect: 'sqlite' | 'postgres') {
  const { target, cleanup } = await benchDatabase(dialect, POSTGRES_URL, 'pixlti-bench');
  const tool: Tool = SERVER_MODE === 'inline' ? await startTool(target) : await startToolProcess(target);
  const sim = await startPlatform();
  sim.setTool({ redirectUris: [`${tool.url}/lti/launch`], jwksUrl: `${tool.url}/.well-known/jwks.json` });
  await tool.addPlatform(sim.registration());
  const rows: string[] = [];
  try {
    for (const level of LEVELS) {
      const t0 = Date.now();
      const learners = await launchLearners(sim, tool.url, level, `${dialect}-${level}`);
      const launchSeconds = (Date.now() - t0) / 1000;
      const r = await runLevel(tool, learners);
      const line =
        `| ${dialect} | ${level} | ${(r.stored / r.seconds).toFixed(0)} | ${ms(r.post.p50)} | ${ms(r.post.p95)} | ${ms(r.post.p99)} | ` +
        `${ms(r.get.p50)} | ${ms(r.get.p95)} | ${ms(r.get.p99)} | ${r.stored} | ${r.finished} | ${r.errors} | ${ms(r.cpuPerAnswer)} | ${SERVER_MODE === 'inline' ? '–' : ms(r.clientPerAnswer)} |`;
      rows.push(line);
      console.log(line, `(launches: ${launchSeconds.toFixed(1)} s)`);
    }
  } finally {
    await sim.close();
    await tool.close();
    await cleanup();
  }
  return rows;
}

async function main() {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  console.log(`# answers under load — ${cpu}, ${os.cpus().length} cores, Node ${process.version}`);
  console.log(
    `# ${ACTIVITY}, ${SECONDS} s per level, at most ${MAX_ANSWERS} answers per learner, ` +
      `think time ${THINK_MS} ms, tool ${SERVER_MODE === 'inline' ? 'in this process' : 'in its own process'}, first ${WARMUP_SECONDS} s not measured, NODE_ENV=${process.env.NODE_ENV ?? ''}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  console.log(
    '| database | learners | answers/s | POST p50 | POST p95 | POST p99 | GET p50 | GET p95 | GET p99 | answers | finished | errors | tool CPU ms/answer | browsers CPU ms/answer |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const dialect of DIALECTS) await benchDialect(dialect);
}

(CHILD_TARGET
  ? serveAsChild(JSON.parse(CHILD_TARGET) as DatabaseTarget)
  : main().then(() => process.exit(0))
).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
