import type { Redis } from 'ioredis';
import { closeRedis, createRedis } from '../redis/fail-fast-redis';
import type { ChannelListener, InvalidationChannel } from './invalidation-channel';

/** Redis pub/sub: publishes on the process's shared connection, subscribes on one of its own. */
export class RedisInvalidationChannel implements InvalidationChannel {
  readonly maxMessageBytes = 512 * 1024 * 1024;
  private subscriber: Redis | undefined;
  private closing = false;

  constructor(
    private readonly publisher: Redis,
    private readonly url: string,
    private readonly channel: string,
    private readonly subscriberName: string,
    /** Whether close() also closes the publishing connection (the worker's own; the api's is shared). */
    private readonly ownsPublisher = false,
  ) {}

  async publish(raw: string): Promise<void> {
    await this.publisher.publish(this.channel, raw);
  }

  subscribe(listener: ChannelListener): void {
    const subscriber = createRedis(this.url, this.subscriberName);
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, raw: string) => listener.message(raw));
    subscriber.on('close', () => listener.lost());
    // ioredis re-subscribes by itself on reconnect, but announces 'ready' before the server has
    // confirmed it; subscribing here and waiting for the reply closes that gap.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => {
          if (subscriber.status === 'ready' && !this.closing) listener.subscribed();
        },
        // The connection dropped again; its next 'ready' tries again.
        () => listener.lost(),
      );
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.subscriber) await closeRedis(this.subscriber);
    if (this.ownsPublisher) await closeRedis(this.publisher);
  }
}
