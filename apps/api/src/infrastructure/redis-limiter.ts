import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

const DAY_SECONDS = 24 * 3600;

/**
 * A rate limiter counted in Redis, so every api instance shares the count, with an in-memory stand-in
 * that keeps each instance counting on its own while Redis is away.
 */
export function redisLimiter(redis: Redis, options: { keyPrefix: string; points: number; duration: number }): RateLimiterRedis {
  // The stand-in expires keys with timers, which cannot run longer than about 24 days.
  const insuranceLimiter = new RateLimiterMemory({ ...options, duration: Math.min(options.duration, DAY_SECONDS) });
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter });
}
