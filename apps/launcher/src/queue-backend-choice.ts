import { NoRedisFound, type LocalRedis } from '@custos/runtime';
import type { LauncherSettings } from './launcher-settings';

export type QueueBackendChoice =
  | { backend: 'redis'; redis: LocalRedis; reason: string }
  | { backend: 'postgres'; reason: string };

/**
 * Redis when the user asked for it (REDIS_URL or CUSTOS_QUEUE_BACKEND=redis: then a Redis that does not
 * answer is an error) or when one answers or can be started; PostgreSQL when asked for, or when this
 * machine has no Redis at all, so that a machine with only Node runs Custos.
 */
export async function chooseQueueBackend(
  settings: Pick<LauncherSettings, 'queueBackend' | 'redisUrl'>,
  ensureRedis: (options: { url?: string }) => Promise<LocalRedis>,
): Promise<QueueBackendChoice> {
  if (settings.queueBackend === 'postgres') return { backend: 'postgres', reason: 'CUSTOS_QUEUE_BACKEND=postgres' };
  if (settings.redisUrl || settings.queueBackend === 'redis') {
    const redis = await ensureRedis(settings.redisUrl ? { url: settings.redisUrl } : {});
    return { backend: 'redis', redis, reason: settings.redisUrl ? 'REDIS_URL' : 'CUSTOS_QUEUE_BACKEND=redis' };
  }
  try {
    const redis = await ensureRedis({});
    return { backend: 'redis', redis, reason: redis.started ? 'redis-server started for this run' : 'found on the default port' };
  } catch (error) {
    if (!(error instanceof NoRedisFound)) throw error;
    return { backend: 'postgres', reason: 'no Redis on this machine' };
  }
}
