import { PostgresNotificationChannel } from '@custos/persistence';
import type { Redis } from 'ioredis';
import type { CustosConfig } from '../config/custos-config';
import type { ChannelListener, InvalidationChannel } from './invalidation-channel';
import { RedisInvalidationChannel } from './redis-invalidation-channel';

/** The NOTIFY channel of token invalidations; the database is the installation's own, so no namespace. */
const POSTGRES_CHANNEL = 'custos_token_invalidations';

type ChannelSettings = Pick<CustosConfig, 'CUSTOS_QUEUE_BACKEND' | 'REDIS_URL' | 'DATABASE_URL' | 'CUSTOS_EMBEDDED_DATABASE'>;

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
  return new PostgresInvalidationChannel(
    new PostgresNotificationChannel(config.DATABASE_URL, POSTGRES_CHANNEL, `${processName}-invalidations`),
    !config.CUSTOS_EMBEDDED_DATABASE,
  );
}

/**
 * LISTEN/NOTIFY. The embedded database (PGlite behind one wire server) has a single backend for every
 * connection: a notification reaches only the connection that sent it, never a listener elsewhere
 * (checked: NOTIFY on one connection, LISTEN on another, nothing arrives). There a subscriber is never
 * told it listens, so the token cache stays off and every verify reads the database.
 */
class PostgresInvalidationChannel implements InvalidationChannel {
  readonly maxMessageBytes: number;

  constructor(
    private readonly channel: PostgresNotificationChannel,
    private readonly deliversAcrossConnections: boolean,
  ) {
    this.maxMessageBytes = channel.maxMessageBytes;
  }

  publish(raw: string): Promise<void> {
    return this.channel.publish(raw);
  }

  subscribe(listener: ChannelListener): void {
    if (this.deliversAcrossConnections) this.channel.subscribe(listener);
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}
