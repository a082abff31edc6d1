import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TokenCache, type InvalidationPublisher } from '@custos/application';
import type { TokenInvalidationMessage as Message } from '@custos/contracts';
import { ChannelInvalidationPublisher, type InvalidationChannel } from '@custos/runtime';

/** The api's invalidation broadcast (Redis pub/sub or Postgres LISTEN/NOTIFY, see createInvalidationChannel). */
export const INVALIDATION_CHANNEL = Symbol('INVALIDATION_CHANNEL');

/** Publishes token changes to the other API instances. */
@Injectable()
export class TokenInvalidationPublisher implements InvalidationPublisher {
  readonly instanceId = randomUUID();
  private readonly logger = new Logger(TokenInvalidationPublisher.name);
  private readonly publisher: ChannelInvalidationPublisher;

  constructor(@Inject(INVALIDATION_CHANNEL) channel: InvalidationChannel) {
    this.publisher = new ChannelInvalidationPublisher(channel, this.instanceId, (error) =>
      this.logger.warn({ err: error }, 'token invalidation not published'),
    );
  }

  publish(lookupIds: readonly string[], tenantIds: readonly string[] = []): Promise<void> {
    return this.publisher.publish(lookupIds, tenantIds);
  }
}

/**
 * Drops tokens changed on other instances from this instance's cache. While it cannot hear the channel
 * it may miss messages, so the cache is suspended from the moment the subscription is lost until it is
 * back (verify then reads Postgres), and restarts empty.
 */
@Injectable()
export class TokenInvalidationSubscriber implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TokenInvalidationSubscriber.name);
  private closing = false;

  constructor(
    private readonly cache: TokenCache,
    private readonly publisher: TokenInvalidationPublisher,
    @Inject(INVALIDATION_CHANNEL) private readonly channel: InvalidationChannel,
  ) {}

  onModuleInit(): void {
    // Not subscribed yet: nothing may be cached until it is.
    this.cache.suspend();
    this.channel.subscribe({
      message: (raw) => this.apply(raw),
      lost: () => {
        if (!this.cache.isSuspended && !this.closing) this.logger.warn('invalidation channel lost: verify reads Postgres until it is back');
        this.cache.suspend();
      },
      subscribed: () => {
        if (this.closing) return;
        this.cache.resume();
        this.logger.log('invalidation channel subscribed: verify cache on');
      },
    });
  }

  private apply(raw: string): void {
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
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.channel.close();
  }
}
