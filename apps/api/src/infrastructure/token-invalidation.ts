import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TokenCache, type InvalidationPublisher } from '@custos/application';
import { RedisKeys, type TokenInvalidationMessage as Message } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { Redis } from 'ioredis';
import { CUSTOS_CONFIG } from './config.provider';
import { REDIS, closeRedis, createRedis } from './redis.provider';

/** Publishes token changes to the other API instances. */
@Injectable()
export class RedisInvalidationPublisher implements InvalidationPublisher {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger(RedisInvalidationPublisher.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Waits for Redis to take the message when Redis is there (so a revocation is answered after every
   * instance was told); fails at once while it is not, and after the command timeout when it hangs.
   * Never fails the change: it is committed, and instances that cannot hear messages do not cache.
   */
  async publish(lookupIds: readonly string[], tenantIds: readonly string[] = []): Promise<void> {
    const message: Message = { origin: this.instanceId, lookupIds: [...lookupIds], ...(tenantIds.length > 0 ? { tenantIds: [...tenantIds] } : {}) };
    try {
      await this.redis.publish(this.keys.tokenInvalidationChannel, JSON.stringify(message));
    } catch (error) {
      this.logger.warn({ err: error, redis: this.redis.status }, 'token invalidation not published');
    }
  }
}

/**
 * Drops tokens changed on other instances from this instance's cache. While its connection is down it
 * may miss messages, so the cache is suspended from the moment the connection closes until the
 * channel is subscribed again (verify then reads Postgres), and restarts empty.
 */
@Injectable()
export class RedisInvalidationSubscriber implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisInvalidationSubscriber.name);
  private subscriber: Redis | undefined;
  private closing = false;

  constructor(
    private readonly cache: TokenCache,
    private readonly publisher: RedisInvalidationPublisher,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
    private readonly keys: RedisKeys,
  ) {}

  onModuleInit(): void {
    // Not subscribed yet: nothing may be cached until it is.
    this.cache.suspend();
    const subscriber = createRedis(this.config.REDIS_URL, 'custos-api-invalidations');
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, raw: string) => {
      let message: Message;
      try {
        message = JSON.parse(raw) as Message;
      } catch {
        // Not ours to read, but something changed: forget everything rather than guess.
        this.cache.clear();
        return;
      }
      if (message.origin === this.publisher.instanceId) return;
      void this.cache.invalidate(message.lookupIds ?? [], { broadcast: false });
      if (message.tenantIds) void this.cache.invalidateTenants(message.tenantIds, { broadcast: false });
    });
    subscriber.on('close', () => {
      if (!this.cache.isSuspended && !this.closing) this.logger.warn('invalidation channel lost: verify reads Postgres until it is back');
      this.cache.suspend();
    });
    // ioredis re-subscribes by itself on reconnect, but announces 'ready' before the server has
    // confirmed it; subscribing here and waiting for the reply closes that gap.
    subscriber.on('ready', () => void this.subscribe(subscriber));
  }

  private async subscribe(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(this.keys.tokenInvalidationChannel);
    } catch (error) {
      // The connection dropped again; its next 'ready' tries again.
      this.logger.warn({ err: error }, 'invalidation channel not subscribed');
      return;
    }
    if (subscriber.status !== 'ready' || this.closing) return;
    this.cache.resume();
    this.logger.log('invalidation channel subscribed: verify cache on');
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}
