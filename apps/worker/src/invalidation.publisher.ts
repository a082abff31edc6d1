import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { InvalidationPublisher } from '@custos/application';
import { RedisKeys } from '@custos/contracts';
import { ChannelInvalidationPublisher, createInvalidationChannel, createRedis, type CustosConfig, type InvalidationChannel } from '@custos/runtime';
import { WORKER_CONFIG } from './worker-config';

/**
 * Tells the api instances that a sweep changed tokens they may have cached (an unused token suspended,
 * a token rotated). The worker has no cache of its own to keep.
 */
@Injectable()
export class WorkerInvalidationPublisher implements InvalidationPublisher, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerInvalidationPublisher.name);
  private readonly channel: InvalidationChannel;
  private readonly publisher: ChannelInvalidationPublisher;

  constructor(@Inject(WORKER_CONFIG) config: CustosConfig, keys: RedisKeys) {
    // Fails fast, like the api's: a sweep never waits on a hung Redis for longer than a command timeout.
    this.channel = createInvalidationChannel(
      config,
      keys.tokenInvalidationChannel,
      'custos-worker',
      () => createRedis(config.REDIS_URL, 'custos-worker-invalidations'),
      true,
    );
    // The api's cache TTL bounds the damage of a lost message; the change itself is committed.
    this.publisher = new ChannelInvalidationPublisher(this.channel, `worker-${randomUUID()}`, (error) =>
      this.logger.warn({ err: error }, 'token invalidation not published'),
    );
  }

  publish(lookupIds: readonly string[], tenantIds: readonly string[] = []): Promise<void> {
    return this.publisher.publish(lookupIds, tenantIds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
  }
}
