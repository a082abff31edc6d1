/** What a reviewer decides about a token (docs/access-reviews.md). */
export const REVIEW_DECISIONS = ['keep', 'narrow', 'revoke'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** What happens to a token whose item is still undecided at the campaign's due date. */
export const REVIEW_OVERDUE_ACTIONS = ['none', 'suspend', 'revoke'] as const;
export type ReviewOverdueAction = (typeof REVIEW_OVERDUE_ACTIONS)[number];

export const REVIEW_ITEM_STATUSES = ['pending', 'decided', 'overdue'] as const;
export type ReviewItemStatus = (typeof REVIEW_ITEM_STATUSES)[number];

export const REVIEW_CAMPAIGN_STATUSES = ['open', 'closed'] as const;
export type ReviewCampaignStatus = (typeof REVIEW_CAMPAIGN_STATUSES)[number];

/** Which active tokens a campaign reviews: all of them, or those matching every criterion given. */
export interface ReviewScope {
  all?: boolean;
  serviceIds?: string[];
  dataCategories?: string[];
  /** Tokens holding at least one of these scopes. */
  scopesAny?: string[];
}

/** Who reviews a campaign's items: each token's steward, or one named user. */
export type ReviewerChoice = 'steward' | { userId: string };

/** Scopes whose last use is older than this count as unused (GET /v1/tokens/:id/usage, review items). */
export const SCOPE_USE_WINDOW_DAYS = 90;

/** Items decided at once by one bulk keep, at most. */
export const MAX_BULK_REVIEW_DECISIONS = 500;
