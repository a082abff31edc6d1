import { PostgresNotificationChannel } from '@custos/persistence';
import type { Redis } from 'ioredis';
import type { CustosConfig } from '../config/custos-config';
import type { InvalidationChannel } from './invalidation-channel';
import { RedisInvalidationChannel } from './redis-invalidation-channel';

/** The NOTIFY channel of token invalidations; the database is the installation's own, so no namespace. */
const POSTGRES_CHANNEL = 'custos_token_invalidations';

type ChannelSettings = Pick<CustosConfig, 'CUSTOS_QUEUE_BACKEND' | 'REDIS_URL' | 'DATABASE_URL'>;

/**
 * The invalidation broadcast of the configured backend. `redis` publishes on the given connection (the
 * api's shared one; the worker passes one of its own, closed with the channel).
 */
export function createInvalidationChannel(
  config: ChannelSettings,
  redisChannel: string,
  processName: string,
  redis: () => Redis,
  ownsRedis: boolean,
): InvalidationChannel {
  if (config.CUSTOS_QUEUE_BACKEND === 'redis') {
    return new RedisInvalidationChannel(redis(), config.REDIS_URL, redisChannel, `${processName}-invalidations`, ownsRedis);
  }
  // On the embedded database too: its wire server routes each notification to the connections that LISTEN.
  return new PostgresNotificationChannel(config.DATABASE_URL, POSTGRES_CHANNEL, `${processName}-invalidations`);
}
