import { Inject, Injectable } from '@nestjs/common';
import { REPORT_FORMATS, type ReviewerChoice, type ReviewOverdueAction, type ReviewScope } from '@custos/contracts';
import { canTransition, newId, reviewerOf } from '@custos/domain';
import { AccessReviewRepository, ReportRepository, TokenRepository, type CampaignRecord, type ItemRecord, type Tx } from '@custos/persistence';
import { AuditLog, type AuditActor } from '../audit/audit-log';
import type { RequestMeta } from '../auth/principal';
import { TokenLifecycle } from '../tokens/token-lifecycle.service';

export type CampaignStore = Pick<
  AccessReviewRepository,
  'insertCampaign' | 'candidates' | 'insertItems' | 'lockPending' | 'updateItem' | 'markOverdueApplied' | 'close' | 'progress'
>;

/** A campaign to open: who reviews, what, until when, and what happens to what is left undecided. */
export interface CampaignPlan {
  name: string;
  scope: ReviewScope;
  dueAt: Date;
  remindAt: Date | null;
  reviewer: ReviewerChoice;
  onOverdue: ReviewOverdueAction;
  separationOfDuties: boolean;
  /** Who opened it: a user or service key id, or `system` on schedule. */
  createdBy: string;
  /** The schedule's period, for a campaign the worker opens. */
  scheduledFor: Date | null;
}

/** The campaign's reason, on what it does to a token: names the campaign. */
export function campaignReason(campaign: Pick<CampaignRecord, 'id' | 'name'>): string {
  return `access review: ${campaign.name} (${campaign.id})`;
}

/**
 * Opening, overdue handling and closing of campaigns, each within the caller's transaction with its
 * audit events: the api's use cases and the worker's schedule share them.
 */
@Injectable()
export class ReviewCampaigns {
  constructor(
    private readonly audit: AuditLog,
    private readonly lifecycle: TokenLifecycle,
    @Inject(AccessReviewRepository) private readonly campaigns: CampaignStore,
    @Inject(TokenRepository) private readonly tokens: Pick<TokenRepository, 'lockById'>,
    @Inject(ReportRepository) private readonly reports: Pick<ReportRepository, 'insert'>,
  ) {}

  /**
   * One item per token active and in scope now; a token issued later is not in it. Null when a scheduled
   * campaign of the same period was opened meanwhile (by another worker).
   */
  async open(tx: Tx, plan: CampaignPlan, actor: AuditActor, meta: RequestMeta, now = new Date()): Promise<CampaignRecord | null> {
    const id = newId('arc', now.getTime());
    const campaign: CampaignRecord = {
      id,
      ...plan,
      status: 'open',
      createdAt: now,
      remindedAt: null,
      overdueAppliedAt: null,
      closedAt: null,
      closedBy: null,
      reportIds: null,
    };
    if (!(await this.campaigns.insertCampaign(tx, campaign))) return null;
    const tokens = await this.campaigns.candidates(tx, plan.scope);
    await this.campaigns.insertItems(
      tx,
      id,
      tokens.map((t) => ({
        id: newId('ari', now.getTime()),
        tokenId: t.id,
        tokenName: t.name,
        tokenScopes: t.scopes,
        stewardUserId: t.stewardUserId,
        reviewerUserId: reviewerOf(t, plan.reviewer, plan.separationOfDuties),
      })),
    );
    await this.audit.record(tx, meta, {
      action: 'review.campaign_opened',
      actor,
      target: { type: 'access_review', id },
      data: {
        name: plan.name,
        scope: plan.scope,
        reviewer: plan.reviewer,
        onOverdue: plan.onOverdue,
        dueAt: plan.dueAt.toISOString(),
        items: tokens.length,
        ...(plan.scheduledFor ? { scheduledFor: plan.scheduledFor.toISOString() } : {}),
      },
    });
    return campaign;
  }

  /** At the due date: every undecided item is overdue, and its token suspended or revoked as the campaign says. */
  async applyOverdue(tx: Tx, campaign: CampaignRecord, meta: RequestMeta, now = new Date()): Promise<ItemRecord[]> {
    const pending = await this.campaigns.lockPending(tx, campaign.id);
    const actor: AuditActor = { type: 'system', id: null };
    const reason = campaignReason(campaign);
    for (const item of pending) {
      const effect = await this.overdueEffect(tx, item, campaign.onOverdue, reason, actor, meta);
      item.status = 'overdue';
      item.effect = effect;
      await this.campaigns.updateItem(tx, item.id, { ...item, decidedAt: null });
    }
    await this.campaigns.markOverdueApplied(tx, campaign.id, now);
    if (pending.length > 0) {
      await this.audit.record(tx, meta, {
        action: 'review.overdue',
        actor,
        target: { type: 'access_review', id: campaign.id },
        data: {
          campaignId: campaign.id,
          name: campaign.name,
          onOverdue: campaign.onOverdue,
          dueAt: campaign.dueAt.toISOString(),
          items: pending.map((i) => ({ itemId: i.id, tokenId: i.tokenId, reviewerUserId: i.reviewerUserId, effect: i.effect })),
        },
      });
    }
    return pending;
  }

  private async overdueEffect(tx: Tx, item: ItemRecord, action: ReviewOverdueAction, reason: string, actor: AuditActor, meta: RequestMeta): Promise<string> {
    if (action === 'none') return 'none';
    const token = await this.tokens.lockById(tx, item.tokenId);
    if (!token) return 'token not found';
    if (token.status === 'suspended' && action === 'suspend') return 'already suspended';
    if (!canTransition(token.status, action)) return `none: token is ${token.status}`;
    await this.lifecycle.applyLocked(tx, token, action, {
      actor,
      meta,
      fields: (at) => (action === 'revoke' ? { revokedAt: at, revokedBy: null, revokedReason: reason } : { suspendedAt: at, suspendedReason: 'review' }),
      data: { reason, campaignId: item.campaignId, overdue: true },
    });
    return action === 'revoke' ? 'revoked' : 'suspended';
  }

  /** Closes the campaign and queues its report in every format (framework-less reports of the campaign). */
  async close(tx: Tx, campaign: CampaignRecord, closedBy: string, actor: AuditActor, meta: RequestMeta, now = new Date()): Promise<Record<string, string>> {
    const reportIds: Record<string, string> = {};
    for (const format of REPORT_FORMATS) {
      const id = newId('rpt', now.getTime());
      await this.reports.insert(tx, { id, framework: null, campaignId: campaign.id, from: campaign.createdAt, to: now, format, requestedBy: closedBy });
      reportIds[format] = id;
    }
    await this.campaigns.close(tx, campaign.id, now, closedBy, reportIds);
    const progress = (await this.campaigns.progress(tx, [campaign.id])).get(campaign.id)!;
    await this.audit.record(
      tx,
      meta,
      {
        action: 'review.campaign_closed',
        actor,
        target: { type: 'access_review', id: campaign.id },
        data: { name: campaign.name, progress, reportIds },
      },
      ...Object.entries(reportIds).map(([format, id]) => ({
        action: 'report.requested' as const,
        actor,
        target: { type: 'report', id },
        data: { campaignId: campaign.id, format, from: campaign.createdAt.toISOString(), to: now.toISOString() },
      })),
    );
    return reportIds;
  }
}
