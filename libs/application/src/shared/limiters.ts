import { RateLimiterMemory, type IRateLimiterOptions, type RateLimiterAbstract } from 'rate-limiter-flexible';

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
export const inProcessLimiter: LimiterFactory = (options) => new RateLimiterMemory(memoryOptions(options));

// Memory limiters expire keys with timers, which cannot run longer than about 24 days.
export function memoryOptions(options: LimiterOptions): IRateLimiterOptions {
  return { ...options, duration: Math.min(options.duration, DAY_SECONDS) };
}
