import type { ConnectionOptions, Queue } from 'bullmq';
import { FAIL_FAST_REDIS, queueConnection, type CustosConfig } from '@custos/runtime';

/**
 * The api's shared Redis connection (commands, publishing); subscribers open their own. null when the
 * queues run on Postgres (CUSTOS_QUEUE_BACKEND=postgres): then nothing of the api talks to Redis.
 */
export const REDIS = Symbol('REDIS');
export { closeRedis, createRedis } from '@custos/runtime';

/** BullMQ connection for the api's queue handles (producer, metrics, dashboard): on Redis, fail fast like every Redis client here. */
export function apiQueueConnection(config: CustosConfig, name: string): ConnectionOptions {
  return queueConnection(config, name, FAIL_FAST_REDIS);
}

/** Closes a queue handle, promptly even while Redis is away. */
export async function closeQueue(queue: Queue): Promise<void> {
  try {
    await queue.close();
  } catch {
    // QUIT cannot be sent without a connection, and BullMQ's own disconnect() would then wait for an
    // 'end' event that a reconnecting ioredis client never emits: stop the reconnecting instead.
    // The PostgreSQL backend has no such client; its close() does not wait on a connection.
    const backend: { client?: Promise<{ disconnect(): void }> } = queue.getBackend();
    (await backend.client)?.disconnect();
  }
}
