import { Redis, type RedisOptions } from 'ioredis';

/** A command that Redis has not answered in this long counts as failed (a hung or unreachable server). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * Nothing the api or a sweep asks of Redis is worth making a request wait for while Redis is away: invalidation
 * messages have the cache TTL behind them, readiness and metrics report the outage. So commands fail
 * at once while disconnected (no offline queue), a hung server is cut off by a timeout, and the
 * connection keeps retrying in the background every ≤ 2 s so it is back soon after Redis is.
 */
export const FAIL_FAST_REDIS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: 2000,
  retryStrategy: (attempt: number): number => Math.min(attempt * 100, 2000),
};

function failFastRedisOptions(name: string): RedisOptions {
  return { connectionName: name, ...FAIL_FAST_REDIS };
}

/**
 * `autoPipelining` sends the commands issued in one tick as one write: the api's command connection,
 * which every rate-limited verify uses, under concurrent requests. Not for subscribers.
 */
export function createRedis(url: string, name: string, options: { autoPipelining?: boolean } = {}): Redis {
  const redis = new Redis(url, { ...failFastRedisOptions(name), enableAutoPipelining: options.autoPipelining ?? false });
  // Without a listener ioredis prints every failed reconnect; readiness, metrics and the callers report the outage.
  redis.on('error', () => undefined);
  return redis;
}

/** Closes politely when connected, at once when not (QUIT cannot be sent without a connection). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}

