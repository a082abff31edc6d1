import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFactory, LimiterOptions } from '../shared/limiters';
import { WindowedRateLimiter } from './windowed-rate-limiter';

/**
 * Two api instances counting in one store, as they do in Redis: here rate-limiter-flexible's memory
 * limiter, one per key prefix, shared by both, with its calls counted.
 */
function sharedStore(): { factory: LimiterFactory; calls: () => number } {
  const limiters = new Map<string, RateLimiterAbstract>();
  let calls = 0;
  const factory: LimiterFactory = (options: LimiterOptions) => {
    let limiter = limiters.get(options.keyPrefix);
    if (!limiter) {
      const counted = new RateLimiterMemory(options);
      const consume = counted.consume.bind(counted);
      counted.consume = (...args: Parameters<RateLimiterMemory['consume']>) => {
        calls += 1;
        return consume(...args);
      };
      limiters.set(options.keyPrefix, (limiter = counted));
    }
    return limiter;
  };
  return { factory, calls: () => calls };
}

describe('WindowedRateLimiter', () => {
  it('is exact for a small limit across instances: 5 a minute lets 5 through, whichever instance asks', async () => {
    const store = sharedStore();
    const [a, b] = [new WindowedRateLimiter(store.factory, 'rl'), new WindowedRateLimiter(store.factory, 'rl')];
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await (i % 2 ? b : a).consume('tok_1', { limit: 5, windowSeconds: 60 }));
    expect(answers.map((s) => s.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(answers.map((s) => s.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
    expect(answers[7]!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('never lets a large limit be exceeded, refuses early by at most a lease per instance, and asks the store once per lease', async () => {
    const store = sharedStore();
    const [a, b] = [new WindowedRateLimiter(store.factory, 'rl'), new WindowedRateLimiter(store.factory, 'rl')];
    let allowed = 0;
    for (let i = 0; i < 1200; i++) if ((await (i % 3 ? a : b).consume('tok_2', { limit: 1000, windowSeconds: 60 })).allowed) allowed += 1;
    // Leases of 10: at most one unused per instance when the window's points run out.
    expect(allowed).toBeLessThanOrEqual(1000);
    expect(allowed).toBeGreaterThanOrEqual(1000 - 2 * 10);
    expect(store.calls()).toBeLessThan(1200 / 5);
  });

  it('takes one lease at a time for uses arriving together, so concurrent uses spend the limit, not leases', async () => {
    const store = sharedStore();
    const limiter = new WindowedRateLimiter(store.factory, 'rl');
    let allowed = 0;
    const lane = async () => {
      for (let i = 0; i < 30; i++) if ((await limiter.consume('tok_7', { limit: 1000, windowSeconds: 60 })).allowed) allowed += 1;
    };
    await Promise.all(Array.from({ length: 50 }, lane));
    // 1,500 uses, 50 at a time, of a limit of 1,000: all of it spent, no more.
    expect(allowed).toBe(1000);
    expect(store.calls()).toBeLessThanOrEqual(1000 / 10 + 1);
  });

  it('answers from a lease at once, without waiting on the store', async () => {
    const limiter = new WindowedRateLimiter(sharedStore().factory, 'rl');
    const first = await limiter.consume('tok_6', { limit: 1000, windowSeconds: 60 });
    const second = limiter.consume('tok_6', { limit: 1000, windowSeconds: 60 });
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toMatchObject({ allowed: true, remaining: first.remaining - 1, resetAt: first.resetAt });
  });

  it('counts keys and limits apart: another token, or a changed limit, starts its own count', async () => {
    const store = sharedStore();
    const limiter = new WindowedRateLimiter(store.factory, 'rl');
    expect((await limiter.consume('tok_3', { limit: 1, windowSeconds: 60 })).allowed).toBe(true);
    expect((await limiter.consume('tok_3', { limit: 1, windowSeconds: 60 })).allowed).toBe(false);
    expect((await limiter.consume('tok_4', { limit: 1, windowSeconds: 60 })).allowed).toBe(true);
    expect((await limiter.consume('tok_3', { limit: 2, windowSeconds: 60 })).allowed).toBe(true);
  });

  it('lets uses through again once the window has passed', async () => {
    const store = sharedStore();
    const limiter = new WindowedRateLimiter(store.factory, 'rl');
    expect((await limiter.consume('tok_5', { limit: 1, windowSeconds: 1 })).allowed).toBe(true);
    expect((await limiter.consume('tok_5', { limit: 1, windowSeconds: 1 })).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await limiter.consume('tok_5', { limit: 1, windowSeconds: 1 })).allowed).toBe(true);
  });
});
