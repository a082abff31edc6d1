import type { IQueueBackend, RedisClient } from 'bullmq';

/** At shutdown, Redis counts as away if it does not answer this fast. */
const SHUTDOWN_PROBE_MS = 1000;

/**
 * Whether the queue's store answers within a second. A processor asks at shutdown: with Redis away,
 * Nest's close of a BullMQ worker waits forever (the job in hand cannot be marked done, QUIT cannot be
 * sent), so the processor must force the close instead. The PostgreSQL backend's close does not wait on
 * a connection that way: it counts as answering.
 */
export async function queueAnswers(backend: IQueueBackend): Promise<boolean> {
  const redis = (backend as { client?: Promise<RedisClient> }).client;
  if (!redis) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_PROBE_MS)));
  const probe = redis.then((c) => c.info()).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
