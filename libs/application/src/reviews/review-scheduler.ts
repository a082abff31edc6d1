import { Inject, Injectable, Logger } from '@nestjs/common';
import { reminderAt, reviewPolicyOf, scheduledPeriodAt } from '@custos/domain';
import { AccessReviewRepository, Database, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { PolicyService } from '../policy/policy.service';
import { ReviewCampaigns } from './review-campaigns';

const SYSTEM_META = { requestId: null, ip: null };
const DAY_MS = 86_400_000;
const TENANTS_PER_RUN = 500;
const CAMPAIGNS_PER_TENANT = 20;

export type ScheduleStore = Pick<AccessReviewRepository, 'tenantsWithDue' | 'lastScheduledFor' | 'claimReminders' | 'pendingByReviewer' | 'lockDue'>;

export interface ReviewRun {
  opened: number;
  reminded: number;
  closed: number;
  /** The reports of the campaigns closed, queued: the caller hands them to report generation. */
  reports: { tenantId: string; reportId: string }[];
}

/**
 * The worker's side of access reviews, run on the sweep schedule: opens each tenant's scheduled
 * campaign when its period starts, reminds reviewers before the due date, and at the due date applies
 * onOverdue to what is undecided and closes the campaign, returning its queued reports for the report
 * queue (the job does not generate them itself: the maintenance queue runs one job at a time). Each step
 * happens once however many workers run: a scheduled campaign is unique per period, a reminder is
 * claimed by an update, and due campaigns are locked (SKIP LOCKED).
 */
@Injectable()
export class ReviewScheduler {
  private readonly logger = new Logger(ReviewScheduler.name);

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly campaigns: ReviewCampaigns,
    private readonly policies: PolicyService,
    @Inject(AccessReviewRepository) private readonly reviews: ScheduleStore,
  ) {}

  async run(now = new Date()): Promise<ReviewRun> {
    const run: ReviewRun = { opened: 0, reminded: 0, closed: 0, reports: [] };
    const tenants = await this.db.system((tx) => this.reviews.tenantsWithDue(tx, now, TENANTS_PER_RUN));
    for (const tenantId of tenants) {
      try {
        if (await this.db.tenant(tenantId, (tx) => this.openScheduled(tx, now))) run.opened += 1;
        run.reminded += await this.db.tenant(tenantId, (tx) => this.remind(tx, now));
        const reportIds = await this.db.tenant(tenantId, (tx) => this.closeDue(tx, now));
        run.closed += reportIds.length;
        run.reports.push(...reportIds.flatMap((ids) => Object.values(ids)).map((reportId) => ({ tenantId, reportId })));
      } catch (error) {
        // One tenant's failure does not hold up the others; its work is still due at the next run.
        this.logger.error({ err: error, tenantId }, 'access review run failed for a tenant');
      }
    }
    return run;
  }

  private async openScheduled(tx: Tx, now: Date): Promise<boolean> {
    const stored = await this.policies.current(tx);
    const policy = reviewPolicyOf(stored.reviews);
    if (policy.intervalDays === null || !stored.reviewsAnchorAt) return false;
    const period = scheduledPeriodAt(stored.reviewsAnchorAt, policy.intervalDays, now);
    const last = await this.reviews.lastScheduledFor(tx);
    if (last && last.getTime() >= period.getTime()) return false;
    const dueAt = new Date(now.getTime() + policy.dueInDays * DAY_MS);
    const opened = await this.campaigns.open(
      tx,
      {
        name: `Scheduled access review ${period.toISOString().slice(0, 10)}`,
        scope: policy.scope,
        dueAt,
        remindAt: reminderAt(now, dueAt, policy.remindBeforeDays),
        reviewer: 'steward',
        onOverdue: policy.onOverdue,
        separationOfDuties: policy.separationOfDuties,
        createdBy: 'system',
        scheduledFor: period,
      },
      SYSTEM_ACTOR,
      SYSTEM_META,
      now,
    );
    return opened !== null;
  }

  private async remind(tx: Tx, now: Date): Promise<number> {
    const due = await this.reviews.claimReminders(tx, now);
    for (const campaign of due) {
      const pending = await this.reviews.pendingByReviewer(tx, campaign.id);
      if (pending.length === 0) continue;
      await this.audit.record(tx, SYSTEM_META, {
        action: 'review.reminder',
        actor: SYSTEM_ACTOR,
        target: { type: 'access_review', id: campaign.id },
        data: {
          campaignId: campaign.id,
          name: campaign.name,
          dueAt: campaign.dueAt.toISOString(),
          pending: pending.reduce((sum, p) => sum + p.pending, 0),
          // null: the items any owner or admin reviews.
          reviewers: pending,
        },
      });
    }
    return due.length;
  }

  /** Due campaigns: overdue items acted on, then closed; returns each closed campaign's report ids. */
  private async closeDue(tx: Tx, now: Date): Promise<Record<string, string>[]> {
    const due = await this.reviews.lockDue(tx, now, CAMPAIGNS_PER_TENANT);
    const closed: Record<string, string>[] = [];
    for (const campaign of due) {
      if (!campaign.overdueAppliedAt) await this.campaigns.applyOverdue(tx, campaign, SYSTEM_META, now);
      closed.push(await this.campaigns.close(tx, campaign, 'system', SYSTEM_ACTOR, SYSTEM_META, now));
    }
    return closed;
  }
}
