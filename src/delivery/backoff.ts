/** Exponential backoff with jitter, and the parsing of a platform's own wait. */

export interface BackoffPolicy {
  /** First wait. */
  baseMs: number;
  /** No wait longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 60 * 60_000 };

/**
 * The wait before try number `tries + 1` ("equal jitter"): half of min(cap, base·2^tries) plus a random
 * share of the other half, so a crowd of rows failing together does not come back together, and no
 * wait is shorter than half the exponential step. `random` returns [0, 1).
 */
export function backoffDelay(
  tries: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(tries, 0), 30));
  const half = exp / 2;
  return Math.round(half + random() * half);
}

/** A platform's Retry-After is honoured up to this (a buggy header must not stall a row for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Honour a platform's Retry-After (429, 503), even beyond our own cap, but never wait less than our
 * own backoff would.
 */
export function retryDelay(
  tries: number,
  retryAfterMs: number | null | undefined,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const own = backoffDelay(tries, random, policy);
  if (retryAfterMs === null || retryAfterMs === undefined) return own;
  return Math.max(own, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}
