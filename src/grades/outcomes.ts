import type { ServiceResult } from '../../lti';
import type { DeliveryOutcome } from '../delivery/outcome';

/** A failed service call as a delivery outcome: transient ones are retried, the rest parked. */
export function outcomeOf(r: Exclude<ServiceResult<unknown>, { kind: 'ok' }>): DeliveryOutcome {
  if (r.kind === 'retryable') {
    return {
      kind: 'retry',
      message: r.status ? `HTTP ${r.status}: ${r.message}` : r.message,
      retryAfterMs: r.retryAfterMs,
    };
  }
  return { kind: 'park', message: `HTTP ${r.status}: ${r.message}` };
}
