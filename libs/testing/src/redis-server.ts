import type { RedisServer } from '@custos/runtime';
import { Redis } from 'ioredis';
import { runtime } from './heavy-libraries';

/**
 * A redis-server of the test's own, on a spare port, without persistence: stopping it loses
 * everything, and `start()` brings back an empty one on the same port (what a Redis restarted
 * without persistence, or failed over to an empty replica, looks like to its clients).
 */
export interface TestRedisServer extends RedisServer {
  /** A client for the test's own checks; the caller disconnects it. */
  client(): Redis;
}

export async function startTestRedis(): Promise<TestRedisServer> {
  const server = await (await runtime()).startRedisServer();
  return Object.assign(server, { client: () => new Redis(server.url, { maxRetriesPerRequest: 1 }) });
}

/** Deletes the keys a test left in a shared Redis, e.g. every key under its own queue prefix. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    for await (const keys of client.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await client.unlink(...keys);
    }
  } finally {
    client.disconnect();
  }
}

/**
 * Deletes every key of an installation's namespace (queues, schedules, heartbeats), so the shared Redis
 * keeps nothing of a test database that is gone.
 */
export function deleteRedisNamespace(namespace: string, url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<void> {
  // RedisKeys allows no glob characters in a namespace: it can stand in the pattern as it is.
  return deleteRedisKeys(url, `${namespace}*`);
}
