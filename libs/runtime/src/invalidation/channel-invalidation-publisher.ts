import type { TokenInvalidationMessage } from '@custos/contracts';
import type { InvalidationChannel } from './invalidation-channel';

/**
 * Publishes token changes to the api instances over an InvalidationChannel, in as many messages as the
 * channel's size limit needs (a bulk revocation can name thousands of tokens; a NOTIFY carries < 8000 bytes).
 */
export class ChannelInvalidationPublisher {
  constructor(
    private readonly channel: InvalidationChannel,
    /** The publishing instance: its subscriber skips its own messages (it dropped those entries already). */
    readonly origin: string,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /**
   * Waits for the broker to take every message when it is there (so a revocation is answered after every
   * instance was told); never fails the change: it is committed, and instances that cannot hear messages
   * do not cache.
   */
  async publish(lookupIds: readonly string[], tenantIds: readonly string[] = []): Promise<void> {
    try {
      for (const message of this.messagesFor(lookupIds, tenantIds)) await this.channel.publish(JSON.stringify(message));
    } catch (error) {
      this.onFailure(error);
    }
  }

  private *messagesFor(lookupIds: readonly string[], tenantIds: readonly string[]): Generator<TokenInvalidationMessage> {
    const base = { origin: this.origin, lookupIds: [] as string[], ...(tenantIds.length > 0 ? { tenantIds: [...tenantIds] } : {}) };
    let message: TokenInvalidationMessage = { ...base, lookupIds: [] };
    let bytes = Buffer.byteLength(JSON.stringify(message));
    for (const lookupId of lookupIds) {
      const added = Buffer.byteLength(JSON.stringify(lookupId)) + 1;
      if (bytes + added > this.channel.maxMessageBytes && message.lookupIds.length > 0) {
        yield message;
        message = { origin: this.origin, lookupIds: [] };
        bytes = Buffer.byteLength(JSON.stringify(message));
      }
      message.lookupIds.push(lookupId);
      bytes += added;
    }
    yield message;
  }
}
