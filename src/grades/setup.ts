import crypto from 'node:crypto';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { createGradeRepository } from '../db/repositories/grades';
import { createOutboxRepository } from '../db/repositories/outbox';
import { createPlatformRepository } from '../db/repositories/platforms';
import { outboxId } from '../delivery/ids';
import { OutboxWorker, type OutboxWorkerOptions } from '../delivery/worker';
import type { Logger } from '../logger';
import { AgsScoreHandler } from './ags-delivery';
import { AgsGradeSink } from './ags-sink';
import type { ServiceClients } from './clients';
import { LineItemResolver } from './line-items';
import { resyncPlacement } from './resync';
import { AGS_SCORE_KIND } from './score';

/** The write side of grades: what createServices registers (no network, no keys). */
export function createGradeServices(
  db: Db,
  clock: Clock,
  opts: { maxPixFor?: (kind: 'parcours' | 'module', id: string) => number } = {},
) {
  const outbox = createOutboxRepository(db);
  const grades = createGradeRepository(db);
  const newId = (now: number) => outboxId(now);
  const wakers = new Set<() => void>();
  return {
    outbox,
    grades,
    /** The AttemptEventSink that writes AGS scores to the outbox in the answer's transaction. */
    sink: new AgsGradeSink({
      grades,
      outbox,
      clock,
      newId,
      maxPixFor: opts.maxPixFor,
      onEnqueued: () => wakers.forEach((w) => w()),
    }),
    /** Queue again the latest score of every learner of a placement. */
    resync: (platformId: string, placementId: string) =>
      resyncPlacement({ outbox, clock, newId }, platformId, placementId),
    /** Lets a worker in this process start sooner after a row is written. */
    onEnqueued(waker: () => void): () => void {
      wakers.add(waker);
      return () => wakers.delete(waker);
    },
  };
}
export type GradeServices = ReturnType<typeof createGradeServices>;

/** The delivery side: an outbox worker that sends AGS scores with the given service clients. */
export function createAgsWorker(deps: {
  db: Db;
  clock: Clock;
  clients: Pick<ServiceClients, 'ags'>;
  logger?: Logger;
  random?: () => number;
  id?: string;
  worker?: Partial<Omit<OutboxWorkerOptions, 'id' | 'outbox' | 'handlers' | 'clock' | 'random'>>;
}): OutboxWorker {
  const random = deps.random ?? Math.random;
  const grades = createGradeRepository(deps.db);
  const platforms = createPlatformRepository(deps.db, deps.clock);
  const handler = new AgsScoreHandler({
    ags: deps.clients.ags,
    lineItems: new LineItemResolver({ ags: deps.clients.ags, grades, clock: deps.clock }),
    grades,
    platforms,
    clock: deps.clock,
    random,
  });
  return new OutboxWorker({
    id: deps.id ?? `ags-${process.pid}-${crypto.randomBytes(4).toString('hex')}`,
    outbox: createOutboxRepository(deps.db),
    handlers: { [AGS_SCORE_KIND]: handler },
    clock: deps.clock,
    random,
    logger: deps.logger,
    ...deps.worker,
  });
}
