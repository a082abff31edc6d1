import { MAX_RETRY_DELAY_MS, nextRetryDelayMs, retryDelayMs } from './retry-schedule';

const policy = { baseMs: 30_000, maxAttempts: 8 };

describe('webhook retry schedule', () => {
  it('doubles the wait after each failure, jittered within the upper half', () => {
    const highest = (n: number) => retryDelayMs(n, policy, () => 1);
    const lowest = (n: number) => retryDelayMs(n, policy, () => 0);
    expect([1, 2, 3, 4, 5, 6, 7].map(highest)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    expect([1, 2, 3].map(lowest)).toEqual([15_000, 30_000, 60_000]);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(3, policy);
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThanOrEqual(120_000);
    }
  });

  it('never waits longer than the cap, even after very many failures', () => {
    expect(retryDelayMs(40, policy, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(10_000, policy, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(5, { ...policy, capMs: 100_000 }, () => 1)).toBe(100_000);
  });

  it('gives up once the attempts are used up', () => {
    expect(nextRetryDelayMs(7, policy, () => 1)).toBe(1_920_000);
    expect(nextRetryDelayMs(8, policy)).toBeNull();
    expect(nextRetryDelayMs(1, { baseMs: 200, maxAttempts: 1 })).toBeNull();
  });
});
