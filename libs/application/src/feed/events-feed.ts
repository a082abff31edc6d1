import { Inject, Injectable, Optional } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { Principal } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { TOKEN_FEED, type FeedListener, type FeedSubscription, type TokenFeed } from './token-feed';

/**
 * `GET /v1/events/stream`: a tenant's token changes for the services that verify in their own process.
 * Whoever may verify the tenant's tokens may hear what changes their answers.
 */
@Injectable()
export class EventsFeed {
  constructor(@Optional() @Inject(TOKEN_FEED) private readonly feed?: TokenFeed | null) {}

  follow(principal: Principal, lastEventId: string | undefined, listener: FeedListener): FeedSubscription {
    requireScope(principal, 'custos:tokens:verify');
    if (!this.feed) {
      throw new DomainError(ErrorCode.UNAVAILABLE, 'The events feed needs Redis (CUSTOS_QUEUE_BACKEND=redis); verify through POST /v1/verify meanwhile.', [], 60);
    }
    return this.feed.follow(principal.tenantId, lastEventId, listener);
  }
}
