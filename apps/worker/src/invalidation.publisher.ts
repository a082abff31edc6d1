import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { InvalidationPublisher } from '@custos/application';
import { RedisKeys, type TokenInvalidationMessage } from '@custos/contracts';
import { closeRedis, createRedis, type CustosConfig } from '@custos/runtime';
import type { Redis } from 'ioredis';
import { WORKER_CONFIG } from './worker-config';

/**
 * Tells the api instances that a sweep changed tokens they may have cached (an unused token suspended,
 * a token rotated). The worker has no cache of its own to keep.
 */
@Injectable()
export class WorkerInvalidationPublisher implements InvalidationPublisher, OnApplicationShutdown {
  private readonly origin = `worker-${randomUUID()}`;
  private readonly logger = new Logger(WorkerInvalidationPublisher.name);
  private readonly redis: Redis;
  private readonly channel: string;

  constructor(@Inject(WORKER_CONFIG) config: CustosConfig, keys: RedisKeys) {
    this.channel = keys.tokenInvalidationChannel;
    // Fails fast, like the api's: a sweep never waits on a hung Redis for longer than a command timeout.
    this.redis = createRedis(config.REDIS_URL, 'custos-worker-invalidations');
  }

  async publish(lookupIds: readonly string[], tenantIds: readonly string[] = []): Promise<void> {
    const message: TokenInvalidationMessage = { origin: this.origin, lookupIds: [...lookupIds], ...(tenantIds.length > 0 ? { tenantIds: [...tenantIds] } : {}) };
    try {
      await this.redis.publish(this.channel, JSON.stringify(message));
    } catch (error) {
      // The api's cache TTL bounds the damage of a lost message; the change itself is committed.
      this.logger.warn({ err: error }, 'token invalidation not published');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
