// The outbox's delivery side: workers with leases, backoff, and the outcome contract for handlers.
export { OutboxWorker, type OutboxWorkerOptions, type BatchReport } from './worker';
export { backoffDelay, retryDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export type { DeliveryHandler, DeliveryOutcome } from './outcome';
export { fetchWithTimeout } from './http';
export { outboxId } from './ids';
