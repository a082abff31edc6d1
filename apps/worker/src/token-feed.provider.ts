import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { NewFeedEntry, TokenFeed } from '@custos/application';
import { RedisKeys } from '@custos/contracts';
import { closeRedis, createRedis, RedisTokenFeed, type CustosConfig } from '@custos/runtime';
import type { Redis } from 'ioredis';
import { WORKER_CONFIG } from './worker-config';

/**
 * What the sweeps change (a token suspended as unused, rotated on schedule) goes into the tenants'
 * events feeds as the api's changes do. The worker only appends: the api instances serve the feed.
 */
@Injectable()
export class WorkerTokenFeed implements Pick<TokenFeed, 'append'>, OnApplicationShutdown {
  private readonly redis: Redis | null;
  private readonly feed: RedisTokenFeed | null;

  constructor(@Inject(WORKER_CONFIG) config: CustosConfig, keys: RedisKeys) {
    this.redis = config.CUSTOS_QUEUE_BACKEND === 'redis' ? createRedis(config.REDIS_URL, 'custos-worker-feed') : null;
    this.feed = this.redis
      ? new RedisTokenFeed(this.redis, config.REDIS_URL, (tenantId) => keys.tokenFeed(tenantId), config.CUSTOS_FEED_RETENTION_SECONDS * 1000, 'custos-worker-feed')
      : null;
  }

  async append(tenantId: string, entries: readonly NewFeedEntry[]): Promise<void> {
    await this.feed?.append(tenantId, entries);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedis(this.redis);
  }
}
