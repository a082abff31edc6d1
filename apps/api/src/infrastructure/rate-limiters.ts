import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

const DAY_SECONDS = 24 * 3600;

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
}

/** Makes the limiters of a feature, in Redis or in this process. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

/**
 * Counted in this process alone: when the queues run on Postgres there is no Redis to share counts, so
 * each api instance enforces the limits on its own (N instances let N times as much through).
 */
export const inProcessLimiter: LimiterFactory = (options) =>
  // Memory limiters expire keys with timers, which cannot run longer than about 24 days.
  new RateLimiterMemory({ ...options, duration: Math.min(options.duration, DAY_SECONDS) });

/**
 * A rate limiter counted in Redis, so every api instance shares the count, with an in-memory stand-in
 * that keeps each instance counting on its own while Redis is away.
 */
export function redisLimiter(redis: Redis, options: LimiterOptions): RateLimiterRedis {
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: inProcessLimiter(options) as RateLimiterMemory });
}
