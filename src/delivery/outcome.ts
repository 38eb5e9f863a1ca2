import type { OutboxRecord } from '../db/repositories/outbox';

/** What a handler says about one delivery; the worker turns it into the row's next state. */
export type DeliveryOutcome =
  /** The receiver accepted it. */
  | { kind: 'delivered' }
  /** A transient failure (network, timeout, 429, 5xx): try again after a backoff (or Retry-After). */
  | { kind: 'retry'; message: string; retryAfterMs?: number | null }
  /**
   * Not a failure: the row must wait until `at` (e.g. a score would land in the same second as the
   * previous one, or the platform answered 409 and wants a newer timestamp). Never parks the row.
   */
  | { kind: 'later'; at: number; message?: string }
  /** The receiver refused it for good (4xx other than 408/409/429): keep the message, stop trying. */
  | { kind: 'park'; message: string };

/** Delivers rows of one outbox kind. Must not throw for expected failures: return an outcome. */
export interface DeliveryHandler {
  deliver(row: OutboxRecord): Promise<DeliveryOutcome>;
}
