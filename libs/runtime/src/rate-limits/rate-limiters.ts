import type { Redis } from 'ioredis';
import { memoryOptions, type LimiterOptions } from '@custos/application';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/** Decisions this process took on its own because Redis did not answer (custos_rate_limit_fallback_total). */
export class LimiterFallbacks {
  count = 0;
}

/** The in-process stand-in of a Redis limiter, counting how often it stands in. */
class InsuranceLimiter extends RateLimiterMemory {
  constructor(
    options: LimiterOptions,
    private readonly fallbacks: LimiterFallbacks,
  ) {
    super(memoryOptions(options));
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>): ReturnType<RateLimiterMemory['consume']> {
    this.fallbacks.count += 1;
    return super.consume(...args);
  }
}

/**
 * A rate limiter counted in Redis, so every api instance shares the count, with an in-memory stand-in
 * that keeps each instance counting on its own while Redis is away.
 */
export function redisLimiter(redis: Redis, options: LimiterOptions, fallbacks: LimiterFallbacks = new LimiterFallbacks()): RateLimiterRedis {
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new InsuranceLimiter(options, fallbacks) });
}
