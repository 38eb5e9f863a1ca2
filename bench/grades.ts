// npm run bench:grades: AGS scores written to the outbox (in their own transactions, as the learner
// use cases do) and delivered to an in-process simulated Moodle over real HTTP, with one and two
// workers, on SQLite and PostgreSQL. BENCH_SCORES sets the learners per round (default 1000).
import os from 'node:os';
import { createTestDb, testDialects } from '../test/support/databases';
import { startGradeHarness } from '../test/integration/grades/harness';

const N = Number(process.env.BENCH_SCORES ?? 1000);

async function round(dialect: 'sqlite' | 'postgres', workers: number) {
  const db = await createTestDb(dialect);
  const h = await startGradeHarness(db, { sim: { memberCount: N }, timeoutMs: 10_000 });
  try {
    const placement = await h.placement({ grading: 'mastery' });
    const users = Array.from({ length: N }, (_, i) => `gen-${i + 1}`);
    let t = performance.now();
    for (const u of users) {
      await h.emit({
        type: 'completed',
        userSub: u,
        placementId: placement.id,
        result: { pix: 10, maxPix: 40, mastery: 0.5, completed: true },
      });
    }
    const writeMs = performance.now() - t;
    const ws = Array.from({ length: workers }, (_, i) =>
      h.worker(`bench-${i}`, { batchSize: 50, concurrency: 8 }),
    );
    t = performance.now();
    const cpu = process.cpuUsage();
    const reports = await Promise.all(ws.map((w) => w.drain(10_000)));
    const deliverMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const delivered = reports.reduce((n, r) => n + r.delivered, 0);
    const received = h.sim.scoresFor(placement.lineitemUrl!).length;
    if (delivered !== N || received !== N)
      throw new Error(`delivered ${delivered}, received ${received}, expected ${N}`);
    return {
      writePerSec: (N / writeMs) * 1000,
      deliverPerSec: (N / deliverMs) * 1000,
      // Worker and simulated platform together (one process): an upper bound of the tool's share.
      cpuMsPerScore: (used.user + used.system) / 1000 / N,
    };
  } finally {
    await h.close();
    await db.drop();
  }
}

async function main() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `bench:grades — ${N} learners per round, Node ${process.version}, ${cpu}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    '| database | workers | outbox writes/s (one transaction each) | scores delivered/s | CPU ms per score (tool + simulator) |',
  );
  console.log('|---|---|---|---|---|');
  for (const dialect of testDialects()) {
    for (const workers of [1, 2]) {
      const r = await round(dialect, workers);
      console.log(
        `| ${dialect} | ${workers} | ${r.writePerSec.toFixed(0)} | ${r.deliverPerSec.toFixed(0)} |`,
      );
    }
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
