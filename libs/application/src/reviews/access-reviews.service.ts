import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  MAX_BULK_REVIEW_DECISIONS,
  SCOPE_USE_WINDOW_DAYS,
  type ReviewCampaignStatus,
  type ReviewerChoice,
  type ReviewItemStatus,
  type ReviewOverdueAction,
  type FieldError,
  type ReviewScope,
} from '@custos/contracts';
import { DomainError, reminderAt, reviewPolicyOf, reviewScopeProblems } from '@custos/domain';
import { AccessReviewRepository, Database, StewardRepository, type CampaignRecord, type Tx } from '@custos/persistence';
import { actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { REPORT_QUEUE, type ReportQueue } from '../compliance/reports.service';
import { PolicyService } from '../policy/policy.service';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { campaignView, reviewItemView, type CampaignView, type ReviewItemView } from './access-review-views';
import { ReviewCampaigns } from './review-campaigns';
import { ReviewDecisions, type DecisionInput } from './review-decisions';

export type { DecisionInput } from './review-decisions';

export interface CreateCampaignInput {
  name: string;
  scope: ReviewScope;
  dueAt: Date;
  reviewer: ReviewerChoice;
  onOverdue?: ReviewOverdueAction | undefined;
}

export interface ItemQuery {
  campaignId?: string | undefined;
  assignedTo?: 'me' | undefined;
  status?: ReviewItemStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface ClosedCampaign {
  campaign: CampaignView;
  /** The JSON report's id; `reportIds` has every format. */
  reportId: string;
  reportIds: Record<string, string>;
}

/** A campaign is due within this many days of opening, at most. */
export const CAMPAIGN_DUE_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export type AccessReviewReads = Pick<AccessReviewRepository, 'findCampaign' | 'lockCampaign' | 'listCampaigns' | 'progress' | 'items'>;

type CampaignCursor = { i: string };
const isCampaignCursor = (v: Record<string, unknown>): v is CampaignCursor => typeof v.i === 'string';

/** Access review campaigns as the api serves them (docs/access-reviews.md). */
@Injectable()
export class AccessReviewsService {
  private readonly logger = new Logger(AccessReviewsService.name);

  constructor(
    private readonly db: Database,
    private readonly campaigns: ReviewCampaigns,
    private readonly decisions: ReviewDecisions,
    private readonly policies: PolicyService,
    @Inject(AccessReviewRepository) private readonly reviews: AccessReviewReads,
    @Inject(StewardRepository) private readonly stewards: Pick<StewardRepository, 'isUser'>,
    @Inject(REPORT_QUEUE) private readonly reportQueue: ReportQueue,
  ) {}

  async create(principal: Principal, input: CreateCampaignInput, meta: RequestMeta, now = new Date()): Promise<CampaignView> {
    requireScope(principal, 'custos:reviews:write');
    const problems: FieldError[] = [...reviewScopeProblems(input.scope)];
    if (input.dueAt.getTime() <= now.getTime()) problems.push({ field: 'dueAt', message: 'must be in the future' });
    if (input.dueAt.getTime() > now.getTime() + CAMPAIGN_DUE_MAX_DAYS * DAY_MS) problems.push({ field: 'dueAt', message: `must be within ${CAMPAIGN_DUE_MAX_DAYS} days` });
    if (problems.length > 0) throw DomainError.validation(problems);
    return this.db.tenant(principal.tenantId, async (tx) => {
      if (typeof input.reviewer !== 'string' && !(await this.stewards.isUser(tx, input.reviewer.userId))) {
        throw DomainError.validation([{ field: 'reviewer.userId', message: 'is not a user of this organization' }]);
      }
      const policy = reviewPolicyOf((await this.policies.current(tx)).reviews);
      const campaign = await this.campaigns.open(
        tx,
        {
          name: input.name,
          scope: input.scope,
          dueAt: input.dueAt,
          remindAt: reminderAt(now, input.dueAt, policy.remindBeforeDays),
          reviewer: input.reviewer,
          onOverdue: input.onOverdue ?? policy.onOverdue,
          separationOfDuties: policy.separationOfDuties,
          createdBy: principal.id,
          scheduledFor: null,
        },
        actorOf(principal),
        meta,
        now,
      );
      return this.view(tx, campaign!);
    });
  }

  async list(principal: Principal, query: { status?: ReviewCampaignStatus | undefined; cursor?: string | undefined; limit: number }): Promise<Page<CampaignView>> {
    requireScope(principal, 'custos:reviews:read');
    const before = decodeCursor(query.cursor, isCampaignCursor)?.i ?? null;
    return this.db.tenant(principal.tenantId, async (tx) => {
      const rows = await this.reviews.listCampaigns(tx, query.status, before, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const progress = await this.reviews.progress(tx, page.map((c) => c.id));
      const last = page[page.length - 1];
      return {
        items: page.map((c) => campaignView(c, progress.get(c.id)!)),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ i: last.id }) : null,
      };
    });
  }

  async get(principal: Principal, id: string): Promise<CampaignView> {
    requireScope(principal, 'custos:reviews:read');
    return this.db.tenant(principal.tenantId, async (tx) => this.view(tx, requireCampaign(await this.reviews.findCampaign(tx, id))));
  }

  /** Items in id order; `assignedTo: 'me'` is the caller's queue (an owner's or admin's includes the items any of them reviews). */
  async items(principal: Principal, query: ItemQuery, now = new Date()): Promise<Page<ReviewItemView>> {
    requireScope(principal, 'custos:reviews:read');
    const after = decodeCursor(query.cursor, isCampaignCursor)?.i ?? null;
    const reviewer = query.assignedTo === 'me' ? { userId: principal.id, orUnassigned: principal.scopes.includes('custos:reviews:write') } : undefined;
    const since = new Date(now.getTime() - SCOPE_USE_WINDOW_DAYS * DAY_MS);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const rows = await this.reviews.items(tx, { campaignId: query.campaignId, status: query.status, reviewer }, since, after, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { items: page.map(reviewItemView), nextCursor: rows.length > query.limit && last ? encodeCursor({ i: last.id }) : null };
    });
  }

  async decide(principal: Principal, itemId: string, input: DecisionInput, meta: RequestMeta): Promise<ReviewItemView> {
    mayDecideSomething(principal);
    return this.db.tenant(principal.tenantId, async (tx) => {
      await this.decisions.decide(tx, principal, itemId, input, meta);
      return this.itemView(tx, itemId);
    });
  }

  /** Keep, for many items at once: all or nothing, each item audited. */
  async keepAll(principal: Principal, itemIds: readonly string[], comment: string, meta: RequestMeta): Promise<ReviewItemView[]> {
    mayDecideSomething(principal);
    const unique = [...new Set(itemIds)];
    if (unique.length === 0 || unique.length > MAX_BULK_REVIEW_DECISIONS) {
      throw DomainError.validation([{ field: 'itemIds', message: `give between 1 and ${MAX_BULK_REVIEW_DECISIONS} item ids` }]);
    }
    return this.db.tenant(principal.tenantId, async (tx) => {
      await this.decisions.keepAll(tx, principal, unique, comment, meta);
      return Promise.all(unique.map((id) => this.itemView(tx, id)));
    });
  }

  /** Closes the campaign now, undecided items and all; its signed reports are queued at once. */
  async close(principal: Principal, id: string, meta: RequestMeta): Promise<ClosedCampaign> {
    requireScope(principal, 'custos:reviews:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const campaign = requireCampaign(await this.reviews.lockCampaign(tx, id));
      if (campaign.status === 'closed') throw new DomainError(ErrorCode.CONFLICT, 'The campaign is closed already.');
      const reportIds = await this.campaigns.close(tx, campaign, principal.id, actorOf(principal), meta);
      tx.afterCommit(async () => {
        for (const reportId of Object.values(reportIds)) {
          await this.reportQueue.enqueue({ tenantId: principal.tenantId, reportId }).catch((error: unknown) => {
            this.logger.warn({ err: error, reportId }, 'report job not queued; the requeue sweep will queue it');
          });
        }
      });
      return { campaign: await this.view(tx, requireCampaign(await this.reviews.findCampaign(tx, id))), reportId: reportIds.json!, reportIds };
    });
  }

  private async view(tx: Tx, campaign: CampaignRecord): Promise<CampaignView> {
    return campaignView(campaign, (await this.reviews.progress(tx, [campaign.id])).get(campaign.id)!);
  }

  private async itemView(tx: Tx, id: string): Promise<ReviewItemView> {
    const since = new Date(Date.now() - SCOPE_USE_WINDOW_DAYS * DAY_MS);
    const [item] = await this.reviews.items(tx, { itemId: id }, since, null, 1);
    return reviewItemView(item!);
  }
}

function requireCampaign(campaign: CampaignRecord | null): CampaignRecord {
  if (!campaign) throw DomainError.notFound('The access review campaign');
  return campaign;
}

/** Deciding needs custos:reviews:decide (one's own items) or custos:reviews:write (any). */
function mayDecideSomething(principal: Principal): void {
  if (!principal.scopes.includes('custos:reviews:write')) requireScope(principal, 'custos:reviews:decide');
}
