import type { TokenRateLimiter } from './token-rate-limiter';
import type { RateLimitState, TokenRateLimit } from '@custos/domain';
import { LRUCache } from 'lru-cache';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../shared/limiters';

/** Limiters kept, one per distinct (limit, window) in use; past it the least recently used goes. */
const LIMITERS_MAX = 10_000;

/**
 * Limits whose size is data (a token's, a tenant's), on rate-limiter-flexible: one fixed-window limiter
 * per (limit, window) pair in use, so a changed limit starts a fresh count under its own key. Tokens
 * are counted by lineage, so a rotation does not hand out a fresh budget.
 */
export class WindowedRateLimiter implements TokenRateLimiter {
  private readonly limiters = new LRUCache<string, RateLimiterAbstract>({ max: LIMITERS_MAX });

  constructor(
    private readonly limiterOf: LimiterFactory,
    private readonly keyPrefix: string,
  ) {}

  async consume(key: string, { limit, windowSeconds }: TokenRateLimit): Promise<RateLimitState> {
    const id = `${limit}:${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) this.limiters.set(id, (limiter = this.limiterOf({ keyPrefix: `${this.keyPrefix}:${id}`, points: limit, duration: windowSeconds })));
    try {
      return stateOf(true, limit, await limiter.consume(key));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return stateOf(false, limit, rejection);
      throw rejection;
    }
  }
}

function stateOf(allowed: boolean, limit: number, res: RateLimiterRes): RateLimitState {
  return {
    allowed,
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetAt: new Date(Date.now() + res.msBeforeNext),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
