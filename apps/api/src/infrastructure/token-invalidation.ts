import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TokenCache, type InvalidationPublisher } from '@custos/application';
import type { CustosConfig } from '@custos/runtime';
import type { Redis } from 'ioredis';
import { CUSTOS_CONFIG } from './config.provider';
import { REDIS, createRedis } from './redis.provider';

const CHANNEL = 'custos:token-invalidations';

interface Message {
  origin: string;
  lookupIds: string[];
}

/** Publishes token changes to the other API instances. */
@Injectable()
export class RedisInvalidationPublisher implements InvalidationPublisher {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger(RedisInvalidationPublisher.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async publish(lookupIds: readonly string[]): Promise<void> {
    const message: Message = { origin: this.instanceId, lookupIds: [...lookupIds] };
    try {
      await this.redis.publish(CHANNEL, JSON.stringify(message));
    } catch (error) {
      // The cache's TTL bounds the damage of a lost message; never fail the change for it.
      this.logger.warn({ err: error }, 'token invalidation not published');
    }
  }
}

/** Drops tokens changed on other instances from this instance's cache. */
@Injectable()
export class RedisInvalidationSubscriber implements OnModuleInit, OnApplicationShutdown {
  private subscriber: Redis | undefined;

  constructor(
    private readonly cache: TokenCache,
    private readonly publisher: RedisInvalidationPublisher,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscriber = createRedis(this.config.REDIS_URL, 'custos-api-invalidations');
    this.subscriber.on('message', (_channel: string, raw: string) => {
      const message = JSON.parse(raw) as Message;
      if (message.origin !== this.publisher.instanceId) void this.cache.invalidate(message.lookupIds, { broadcast: false });
    });
    // A reconnect may have missed messages: start over rather than trust old entries.
    this.subscriber.on('ready', () => this.cache.clear());
    await this.subscriber.subscribe(CHANNEL);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit();
  }
}
