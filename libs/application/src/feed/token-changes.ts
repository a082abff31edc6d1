import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { TokenFeedKind } from '@custos/contracts';
import type { Tx } from '@custos/persistence';
import { TokenCache } from '../verify/token-cache';
import { TOKEN_FEED, type NewFeedEntry, type TokenFeed } from './token-feed';

/** Past this many tokens in one change (a sweep's batch), the feed says "drop the tenant's tokens" once rather than naming each. */
export const FEED_TOKENS_PER_CHANGE = 5000;

/** A token as a change names it. */
export interface ChangedToken {
  id: string;
  lookupId: string;
}

/**
 * Tells every cache of verify answers that tokens changed, once the change has committed: this
 * installation's api instances (TokenCache) and the services that verify in their own process (the
 * events feed). The caller's answer waits for both, so a revocation is answered after every instance
 * and the feed were told.
 */
@Injectable()
export class TokenChanges {
  private readonly logger = new Logger(TokenChanges.name);

  constructor(
    private readonly cache: TokenCache,
    @Optional() @Inject(TOKEN_FEED) private readonly feed?: Pick<TokenFeed, 'append'> | null,
  ) {}

  /**
   * After `tx` commits: `tokens` of its tenant changed in the way `kind` says. `dropCaches: false` for a
   * change every cache already applies by itself (an expiry by its date): only the feed hears of it.
   */
  afterCommit(tx: Tx, kind: TokenFeedKind, tokens: readonly ChangedToken[], options: { dropCaches: boolean } = { dropCaches: true }): void {
    if (tokens.length === 0) return;
    const tenantId = tx.tenantId;
    tx.afterCommit(async () => {
      if (options.dropCaches) await this.cache.invalidate(tokens.map((t) => t.lookupId));
      if (tenantId) await this.publish(tenantId, entriesOf(kind, tokens, new Date().toISOString()));
    });
  }

  /** After `tx` commits: the tenant's policy changed what verify answers, for every token. */
  tenantAfterCommit(tx: Tx, tenantId: string): void {
    tx.afterCommit(async () => {
      await this.cache.invalidateTenants([tenantId]);
      await this.publish(tenantId, [{ event: 'tenant', data: { kind: 'policy_changed', at: new Date().toISOString() } }]);
    });
  }

  /**
   * Never fails the change, which is committed: a client that missed the event drops its cache by
   * itself when the feed goes quiet, and its entries live at most the cache's TTL.
   */
  private async publish(tenantId: string, entries: readonly NewFeedEntry[]): Promise<void> {
    try {
      await this.feed?.append(tenantId, entries);
    } catch (error) {
      this.logger.warn({ err: error, tenantId }, 'token change not added to the events feed');
    }
  }
}

function entriesOf(kind: TokenFeedKind, tokens: readonly ChangedToken[], at: string): NewFeedEntry[] {
  if (tokens.length > FEED_TOKENS_PER_CHANGE) return [{ event: 'tenant', data: { kind: 'tokens_changed', at } }];
  return tokens.map((t) => ({ event: 'token', data: { kind, tokenId: t.id, lookupId: t.lookupId, at } }));
}
