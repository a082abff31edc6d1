import type { ReviewCampaignStatus, ReviewDecision, ReviewerChoice, ReviewItemStatus, ReviewOverdueAction, ReviewScope } from '@custos/contracts';
import type { CampaignProgress, CampaignRecord, ItemWithUse } from '@custos/persistence';

export interface CampaignView {
  id: string;
  name: string;
  scope: ReviewScope;
  reviewer: ReviewerChoice;
  onOverdue: ReviewOverdueAction;
  separationOfDuties: boolean;
  dueAt: string;
  remindAt: string | null;
  status: ReviewCampaignStatus;
  createdBy: string;
  createdAt: string;
  /** The period a scheduled campaign was opened for; null for one opened by hand. */
  scheduledFor: string | null;
  overdueAppliedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** The signed report in each format, once closed (GET /v1/reports/:id/download). */
  reportIds: Record<string, string> | null;
  progress: CampaignProgress;
}

export interface ReviewItemView {
  id: string;
  campaignId: string;
  campaignName: string;
  dueAt: string;
  tokenId: string;
  tokenName: string;
  /** The token's scopes when the campaign opened. */
  tokenScopes: string[];
  /** Which of them a VALID verify asked for in the last 90 days, and which not. */
  scopesUsed90d: string[];
  scopesUnused90d: string[];
  /** The token's status now (it may have changed since the campaign opened). */
  tokenStatus: string | null;
  lastUsedAt: string | null;
  countries: string[];
  stewardUserId: string | null;
  /** Null: any owner or admin reviews it. */
  reviewerUserId: string | null;
  status: ReviewItemStatus;
  decision: ReviewDecision | null;
  decidedScopes: string[] | null;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  effect: string | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function campaignView(c: CampaignRecord, progress: CampaignProgress): CampaignView {
  return {
    id: c.id,
    name: c.name,
    scope: c.scope,
    reviewer: c.reviewer,
    onOverdue: c.onOverdue,
    separationOfDuties: c.separationOfDuties,
    dueAt: c.dueAt.toISOString(),
    remindAt: iso(c.remindAt),
    status: c.status,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    scheduledFor: iso(c.scheduledFor),
    overdueAppliedAt: iso(c.overdueAppliedAt),
    closedAt: iso(c.closedAt),
    closedBy: c.closedBy,
    reportIds: c.reportIds,
    progress,
  };
}

export function reviewItemView(i: ItemWithUse): ReviewItemView {
  const used = new Set(i.scopesUsed);
  return {
    id: i.id,
    campaignId: i.campaignId,
    campaignName: i.campaignName,
    dueAt: i.dueAt.toISOString(),
    tokenId: i.tokenId,
    tokenName: i.tokenName,
    tokenScopes: i.tokenScopes,
    scopesUsed90d: i.tokenScopes.filter((s) => used.has(s)),
    scopesUnused90d: i.tokenScopes.filter((s) => !used.has(s)),
    tokenStatus: i.tokenStatus,
    lastUsedAt: iso(i.lastUsedAt),
    countries: i.countries,
    stewardUserId: i.stewardUserId,
    reviewerUserId: i.reviewerUserId,
    status: i.status,
    decision: i.decision,
    decidedScopes: i.decidedScopes,
    comment: i.comment,
    decidedBy: i.decidedBy,
    decidedAt: iso(i.decidedAt),
    effect: i.effect,
  };
}
