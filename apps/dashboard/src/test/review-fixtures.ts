import type { Campaign, ReviewItem } from '../features/reviews/api/reviews.queries';

/** A campaign as GET /v1/access-reviews sends it: open, over all tokens, 10 items of which 3 decided; override what a test is about. */
export function campaignFixture(id: string, over: Partial<Campaign> = {}): Campaign {
  return {
    id,
    name: `Campaign ${id}`,
    scope: { all: true },
    reviewer: 'steward',
    onOverdue: 'suspend',
    separationOfDuties: false,
    dueAt: '2027-01-15T23:59:59.999Z',
    remindAt: '2027-01-12T23:59:59.999Z',
    status: 'open',
    createdBy: 'usr_1',
    createdAt: '2026-12-01T10:00:00.000Z',
    scheduledFor: null,
    overdueAppliedAt: null,
    closedAt: null,
    closedBy: null,
    reportIds: null,
    progress: { total: 10, pending: 7, overdue: 0, decided: { keep: 1, narrow: 1, revoke: 1 } },
    ...over,
  };
}

/** A pending item of the signed-in user's queue: a token with one scope used and one unused in 90 days. */
export function reviewItemFixture(id: string, over: Partial<ReviewItem> = {}): ReviewItem {
  return {
    id,
    campaignId: 'arc_1',
    campaignName: 'Q4 review',
    dueAt: '2027-01-15T23:59:59.999Z',
    tokenId: `tok_${id}`,
    tokenName: `token ${id}`,
    tokenScopes: ['patients:read', 'patients:write'],
    scopesUsed90d: ['patients:read'],
    scopesUnused90d: ['patients:write'],
    tokenStatus: 'active',
    lastUsedAt: null,
    countries: ['DE'],
    stewardUserId: 'usr_1',
    reviewerUserId: 'usr_1',
    status: 'pending',
    decision: null,
    decidedScopes: null,
    comment: null,
    decidedBy: null,
    decidedAt: null,
    effect: null,
    ...over,
  };
}

/** One page as an infinite query caches it. */
export const pagesOf = <T>(items: T[], nextCursor: string | null = null) => ({ pages: [{ items, nextCursor }], pageParams: [undefined] });
