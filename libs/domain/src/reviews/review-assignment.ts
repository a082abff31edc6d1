import type { ReviewerChoice } from '@custos/contracts';

/** The token facts that decide who reviews it. */
export interface ReviewedToken {
  createdBy: string | null;
  stewardUserId: string | null;
}

/**
 * Who reviews a token's item: the named reviewer, or the token's steward; null when an owner or admin
 * does (no steward, or separation of duties: nobody attests to a token they issued to themselves).
 */
export function reviewerOf(token: ReviewedToken, choice: ReviewerChoice, separationOfDuties: boolean): string | null {
  const reviewer = choice === 'steward' ? token.stewardUserId : choice.userId;
  if (!reviewer) return null;
  return separationOfDuties && isSelfIssued(token, reviewer) ? null : reviewer;
}

/** The reviewer issued the token and stewards it: they would attest to their own grant. */
export function isSelfIssued(token: ReviewedToken, reviewer: string): boolean {
  return token.createdBy === reviewer && token.stewardUserId === reviewer;
}
