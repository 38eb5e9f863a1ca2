import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryKeyStore, ToolKeySet } from '../../../lti';
import { createPlacementRepository, type PlacementRecord } from '../../../src/db/repositories/placements';
import { createPlatformRepository, type PlatformRecord } from '../../../src/db/repositories/platforms';
import type { Grading } from '../../../src/db/tables/learning';
import { createAgsWorker, createGradeServices, createServiceClients } from '../../../src/grades';
import { recordAttemptEvent, type AttemptEvent } from '../../../src/learning/events';
import type { OutboxWorkerOptions } from '../../../src/delivery';
import type { TestDb } from '../../support/databases';
import { startPlatform, type SimulatedPlatform, type StartPlatformOptions } from '../../support/platform';

/** A clock the test moves by hand (starts at the real time: the simulator checks assertions' exp). */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
      return t;
    },
    set: (ms: number) => (t = ms),
  };
}
export type ManualClock = ReturnType<typeof manualClock>;

/** Seeded [0,1) so jitter is reproducible. */
export function seededRandom(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The tool's JWKS over HTTP, so the simulated token endpoint can verify our client assertions. */
async function serveJwks(keys: ToolKeySet, clock: { now(): number }) {
  const server = http.createServer((_req, res) => {
    keys
      .publicJwks(clock.now())
      .then((jwks) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(jwks));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface GradeHarness {
  db: TestDb;
  sim: SimulatedPlatform;
  clock: ManualClock;
  platform: PlatformRecord;
  grades: ReturnType<typeof createGradeServices>;
  keys: ToolKeySet;
  /** A placement on the simulated course, with AGS (a line item, or only the container). */
  placement(opts?: {
    resourceLinkId?: string;
    withLineItem?: boolean;
    grading?: Grading;
    contextId?: string;
  }): Promise<PlacementRecord>;
  /** Records an attempt event in its own transaction, as the learner use cases do. */
  emit(event: Partial<AttemptEvent> & Pick<AttemptEvent, 'type' | 'userSub' | 'placementId'>): Promise<void>;
  worker(
    id: string,
    opts?: Partial<Omit<OutboxWorkerOptions, 'id' | 'outbox' | 'handlers' | 'clock' | 'random'>>,
  ): ReturnType<typeof createAgsWorker>;
  close(): Promise<void>;
}

export async function startGradeHarness(
  db: TestDb,
  opts: { sim?: StartPlatformOptions; timeoutMs?: number } = {},
): Promise<GradeHarness> {
  const clock = manualClock();
  const sim = await startPlatform({ memberCount: 200, ...opts.sim });
  const keys = new ToolKeySet({ store: new MemoryKeyStore() });
  await keys.ensureKey(clock.now());
  const jwks = await serveJwks(keys, clock);
  sim.setTool({ jwksUrl: jwks.url });
  const platform = await createPlatformRepository(db, clock).add({
    ...sim.registration(),
    name: 'Simulated Moodle',
    status: 'active',
    source: 'manual',
  });
  const grades = createGradeServices(db, clock);
  const placements = createPlacementRepository(db);
  const clients = createServiceClients({ signer: keys, clock, timeoutMs: opts.timeoutMs ?? 2_000 });
  const random = seededRandom();
  let n = 0;

  return {
    db,
    sim,
    clock,
    platform,
    grades,
    keys,
    async placement(p = {}) {
      const contextId = p.contextId ?? 'course-1';
      const resourceLinkId = p.resourceLinkId ?? `rl-${++n}`;
      const lineitem =
        p.withLineItem === false
          ? null
          : sim.addLineItem(contextId, { label: 'Pix', scoreMaximum: 100, resourceLinkId });
      const placement = await placements.upsertFromLaunch(
        { platformId: platform.id, deploymentId: sim.deploymentId, resourceLinkId },
        {
          contextId,
          contextTitle: 'Compétences numériques',
          title: 'Évaluation',
          lineitemsUrl: sim.lineItemsUrl(contextId),
          lineitemUrl: lineitem,
          agsScopes: [
            'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
            'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
            'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
            'https://purl.imsglobal.org/spec/lti-ags/scope/score',
          ],
          nrpsUrl: sim.membershipsUrl(contextId),
        },
        clock.now(),
        () => crypto.randomUUID(),
      );
      await placements.bindActivity(
        platform.id,
        placement.id,
        { kind: 'parcours', id: 'rentree-6e', grading: p.grading ?? 'mastery' },
        clock.now(),
      );
      return (await placements.findById(platform.id, placement.id))!;
    },
    async emit(e) {
      const event: AttemptEvent = {
        attemptId: `att-${e.placementId}-${e.userSub}`,
        platformId: platform.id,
        activity: { kind: 'parcours', id: 'rentree-6e' },
        at: clock.now(),
        progress: e.type === 'completed' ? 1 : e.type === 'started' ? 0 : 0.5,
        ...e,
      };
      await db.kysely.transaction().execute((tx) => recordAttemptEvent([grades.sink], tx, event));
    },
    worker(id, w = {}) {
      return createAgsWorker({
        db,
        clock,
        clients,
        random,
        id,
        worker: { backoff: { baseMs: 1_000, capMs: 8_000 }, ...w },
      });
    },
    async close() {
      await sim.close();
      await jwks.close();
    },
  };
}

/** Scores the simulated gradebook accepted for one learner on one line item, oldest first. */
export function acceptedScores(sim: SimulatedPlatform, lineItemUrl: string, userId: string) {
  return sim.scoresFor(lineItemUrl).filter((s) => s.userId === userId);
}

/** Runs workers' batches, moving the clock, until nothing is pending or `maxRounds` is reached. */
export async function deliverAll(
  h: GradeHarness,
  workers: Array<{ runOnce(): Promise<{ claimed: number }> }>,
  opts: { stepMs?: number; maxRounds?: number } = {},
): Promise<number> {
  for (let round = 0; round < (opts.maxRounds ?? 200); round++) {
    await Promise.all(workers.map((w) => w.runOnce()));
    const counts = await h.grades.outbox.counts();
    if (counts.pending === 0) return round;
    h.clock.advance(opts.stepMs ?? 1_000);
  }
  throw new Error('rows still pending after every round');
}
