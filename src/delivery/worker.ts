import type { Clock } from '../clock';
import type { OutboxRecord, OutboxRepository } from '../db/repositories/outbox';
import type { Logger } from '../logger';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff';
import type { DeliveryHandler, DeliveryOutcome } from './outcome';

export interface OutboxWorkerOptions {
  /** Unique per worker (process and instance): the lease is held in its name. */
  id: string;
  outbox: Pick<OutboxRepository, 'claim' | 'markDelivered' | 'reschedule' | 'park' | 'release'>;
  /** One handler per outbox kind; rows of other kinds are left to other workers. */
  handlers: Readonly<Record<string, DeliveryHandler>>;
  clock: Clock;
  /** [0, 1), injected for reproducible jitter. */
  random: () => number;
  logger?: Logger;
  /** How long a claim holds a row (default 2 min); a worker that dies frees its rows when it expires. */
  leaseMs?: number;
  batchSize?: number;
  /** Deliveries in flight at once within a batch. */
  concurrency?: number;
  /** Pause between polls when nothing is due. */
  idleMs?: number;
  backoff?: BackoffPolicy;
  /** Transient failures before a row is parked (409/"later" outcomes never count). */
  maxTries?: number;
  /** Sleep, injected so tests need not wait. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface BatchReport {
  claimed: number;
  delivered: number;
  retried: number;
  later: number;
  parked: number;
  /** Settled by someone else meanwhile (lease lost) or superseded by a newer row. */
  dropped: number;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Delivers outbox rows: claims due rows with a lease, hands each to its kind's handler, and records
 * the outcome only while it still holds the lease (a worker that lost its lease changes nothing).
 * Safe with any number of workers in any number of processes.
 */
export class OutboxWorker {
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly idleMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxTries: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private loop: Promise<void> | null = null;
  private stopper: AbortController | null = null;
  private wakeUp: AbortController | null = null;

  constructor(private readonly opts: OutboxWorkerOptions) {
    // Longer than the slowest delivery (token, line item lookup and creation, score: four calls with
    // a 15 s timeout each), so a live worker never loses a row it is still sending.
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.batchSize = opts.batchSize ?? 25;
    this.concurrency = opts.concurrency ?? 8;
    this.idleMs = opts.idleMs ?? 1_000;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.maxTries = opts.maxTries ?? 30;
    this.sleep = opts.sleep ?? abortableSleep;
  }

  get id(): string {
    return this.opts.id;
  }

  /** Claims one batch and delivers it. */
  async runOnce(): Promise<BatchReport> {
    const rows = await this.opts.outbox.claim({
      workerId: this.opts.id,
      now: this.opts.clock.now(),
      leaseMs: this.leaseMs,
      limit: this.batchSize,
      kinds: Object.keys(this.opts.handlers),
    });
    const report: BatchReport = {
      claimed: rows.length,
      delivered: 0,
      retried: 0,
      later: 0,
      parked: 0,
      dropped: 0,
    };
    let next = 0;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        report[await this.deliverOne(row)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, lane));
    return report;
  }

  /** Runs batches until nothing is due (tests, the resync command). `maxBatches` bounds it. */
  async drain(maxBatches = 1_000): Promise<BatchReport> {
    const total: BatchReport = { claimed: 0, delivered: 0, retried: 0, later: 0, parked: 0, dropped: 0 };
    for (let i = 0; i < maxBatches; i++) {
      const r = await this.runOnce();
      for (const key of Object.keys(total) as (keyof BatchReport)[]) total[key] += r[key];
      if (r.claimed === 0) break;
    }
    return total;
  }

  /** Polls in the background until stop(). */
  start(): void {
    if (this.loop) return;
    const stopper = new AbortController();
    this.stopper = stopper;
    this.loop = (async () => {
      while (!stopper.signal.aborted) {
        let claimed = 0;
        try {
          claimed = (await this.runOnce()).claimed;
        } catch (err) {
          // The database may be briefly unavailable: log, wait, go on.
          this.opts.logger?.error({ err, worker: this.opts.id }, 'outbox worker batch failed');
        }
        if (claimed === 0 && !stopper.signal.aborted) {
          this.wakeUp = new AbortController();
          await this.sleep(this.idleMs, AbortSignal.any([stopper.signal, this.wakeUp.signal]));
        }
      }
    })();
  }

  /** Polls now rather than after the idle pause (e.g. right after rows were written). */
  wake(): void {
    this.wakeUp?.abort();
  }

  /** Stops polling and waits for the batch in flight to settle. */
  async stop(): Promise<void> {
    this.stopper?.abort();
    await this.loop;
    this.loop = null;
    this.stopper = null;
  }

  private async deliverOne(
    row: OutboxRecord,
  ): Promise<'delivered' | 'retried' | 'later' | 'parked' | 'dropped'> {
    const handler = this.opts.handlers[row.kind];
    let outcome: DeliveryOutcome;
    try {
      outcome = handler
        ? await handler.deliver(row)
        : { kind: 'park', message: `no handler for outbox kind ${row.kind}` };
    } catch (err) {
      // An unexpected error is treated as transient: the row must not be lost to a bug or a blip.
      outcome = { kind: 'retry', message: (err as Error).message || String(err) };
    }
    const now = this.opts.clock.now();
    const { outbox } = this.opts;
    const log = this.opts.logger;
    switch (outcome.kind) {
      case 'delivered':
        return (await outbox.markDelivered(row, this.opts.id, now)) ? 'delivered' : 'dropped';
      case 'later': {
        const r = await outbox.reschedule(row, this.opts.id, {
          now,
          nextAttemptAt: Math.max(outcome.at, now),
          error: outcome.message ?? null,
          countTry: false,
        });
        return r === 'rescheduled' ? 'later' : 'dropped';
      }
      case 'retry': {
        if (row.tries + 1 >= this.maxTries) {
          log?.warn(
            { outboxId: row.id, kind: row.kind, tries: row.tries + 1 },
            'outbox row parked after retries',
          );
          const parked = await outbox.park(
            row,
            this.opts.id,
            `gave up after ${row.tries + 1} tries: ${outcome.message}`,
            now,
          );
          return parked ? 'parked' : 'dropped';
        }
        const delay = retryDelay(row.tries, outcome.retryAfterMs, this.opts.random, this.backoff);
        log?.info(
          { outboxId: row.id, kind: row.kind, tries: row.tries + 1, delay },
          'outbox delivery will be retried',
        );
        const r = await outbox.reschedule(row, this.opts.id, {
          now,
          nextAttemptAt: now + delay,
          error: outcome.message,
          countTry: true,
        });
        return r === 'rescheduled' ? 'retried' : 'dropped';
      }
      case 'park':
        log?.warn({ outboxId: row.id, kind: row.kind }, 'outbox row parked: refused by the receiver');
        return (await outbox.park(row, this.opts.id, outcome.message, now)) ? 'parked' : 'dropped';
    }
  }
}
