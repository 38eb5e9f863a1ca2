import type { Fetch } from '../../lti';

/**
 * A fetch that gives up after `timeoutMs`: a platform that hangs must not hold a row past its lease.
 * The abort surfaces as a network error, which the service clients classify as retryable.
 */
export function fetchWithTimeout(inner: Fetch, timeoutMs: number): Fetch {
  return (input, init = {}) => {
    const signal = init.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    return inner(input, { ...init, signal });
  };
}
