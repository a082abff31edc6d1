import type { Queue, RedisOptions as QueueConnectionOptions } from 'bullmq';
import { FAIL_FAST_REDIS } from '@custos/runtime';

/** The api's shared Redis connection (commands, publishing); subscribers open their own. */
export const REDIS = Symbol('REDIS');
export { closeRedis, createRedis } from '@custos/runtime';

/** BullMQ connection options for the api's queue handles (metrics, dashboard): fail fast, like every Redis client here. */
export function apiQueueConnection(url: string, name: string): QueueConnectionOptions {
  return { url, connectionName: name, ...FAIL_FAST_REDIS };
}

/** Closes a queue handle, promptly even while Redis is away. */
export async function closeQueue(queue: Queue): Promise<void> {
  try {
    await queue.close();
  } catch {
    // QUIT cannot be sent without a connection, and BullMQ's own disconnect() would then wait for an
    // 'end' event that a reconnecting ioredis client never emits: stop the reconnecting instead.
    (await queue.getBackend().client).disconnect();
  }
}
