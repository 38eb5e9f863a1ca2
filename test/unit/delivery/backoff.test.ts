import { backoffDelay, MAX_RETRY_AFTER_MS, retryDelay } from '../../../src/delivery/backoff';

const policy = { baseMs: 1_000, capMs: 60_000 };

describe('backoff with jitter', () => {
  it('grows exponentially, staying between half and the whole of each step', () => {
    for (const tries of [0, 1, 2, 3, 4]) {
      const step = 1_000 * 2 ** tries;
      expect(backoffDelay(tries, () => 0, policy)).toBe(step / 2);
      expect(backoffDelay(tries, () => 0.999999, policy)).toBeCloseTo(step, -1);
    }
  });

  it('never exceeds the cap', () => {
    expect(backoffDelay(40, () => 0.99, policy)).toBeLessThanOrEqual(60_000);
  });

  it('spreads rows that failed together', () => {
    const values = [0.1, 0.5, 0.9].map((r) => backoffDelay(3, () => r, policy));
    expect(new Set(values).size).toBe(3);
  });

  it('honours Retry-After beyond its own step and cap, within an hour', () => {
    expect(retryDelay(0, 120_000, () => 0, policy)).toBe(120_000);
    expect(retryDelay(0, 10 * 3_600_000, () => 0, policy)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelay(5, 10, () => 0, policy)).toBe(backoffDelay(5, () => 0, policy));
  });
});
