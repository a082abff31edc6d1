import type { RedisClient } from 'bullmq';

/** At shutdown, Redis counts as away if it does not answer this fast. */
const SHUTDOWN_PROBE_MS = 1000;

/**
 * Whether Redis answers within a second. A processor asks at shutdown: with Redis away, Nest's close of
 * a BullMQ worker waits forever (the job in hand cannot be marked done, QUIT cannot be sent), so the
 * processor must force the close instead.
 */
export async function redisAnswers(client: Promise<RedisClient>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_PROBE_MS)));
  const probe = client.then((c) => c.info()).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
