import { FRAMEWORK_NAMES, type ControlStatus, type Framework } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { AccessReviewRepository, CampaignRecord, ItemRecord, Tx } from '@custos/persistence';
import type { ControlOutcome } from './compliance-evaluator';
import type { EvidenceRow } from './controls';
import { plural } from './controls/findings-control';
import type { CrossBorderSection } from './renderers/report-renderer';

/** One section of a report: a verdict and its evidence, read as the renderer goes (at most `cap` rows, all when null). */
export interface ReportSection {
  outcome: ControlOutcome;
  evidence(cap: number | null): AsyncIterable<EvidenceRow>;
}

/** What a report holds, whatever it is of: a framework's controls over a period, or an access review campaign. */
export interface ReportContent {
  /** The cover's title: the framework's name, or the campaign's. */
  title: string;
  now: Date;
  summary: Record<ControlStatus, number>;
  sections: ReportSection[];
  crossBorder?: () => Promise<CrossBorderSection>;
}

export type CampaignReportReads = Pick<AccessReviewRepository, 'findCampaign' | 'progress' | 'campaignItems'>;

const ITEM_PAGE = 1000;

export const ACCESS_REVIEW_SECTION = {
  id: 'access-review-decisions',
  title: 'Access review decisions',
  description:
    'Every token the campaign reviewed, as it was when the campaign opened: its steward, who reviewed it, the decision, ' +
    'the comment, when, and what it did to the token. Passes when every item was decided; warns when some were still ' +
    'undecided at closing; fails when some were overdue (the onOverdue action applied instead of a decision).',
  mappings: { soc2: ['CC6.2', 'CC6.3'], pci_dss: ['7.2.4', '8.6'], gdpr: ['Art. 32(1)(d)'], hipaa: ['164.308(a)(4)(ii)(C)'] },
} as const;

/** An access review campaign as one report section: its facts as metrics, each item as an evidence row. */
export async function campaignReportContent(reads: CampaignReportReads, tx: Tx, campaignId: string): Promise<ReportContent> {
  const campaign = await reads.findCampaign(tx, campaignId);
  if (!campaign) throw DomainError.notFound(`access review campaign ${campaignId}`);
  const progress = (await reads.progress(tx, [campaignId])).get(campaignId)!;
  const status: ControlStatus = progress.overdue > 0 ? 'fail' : progress.pending > 0 ? 'warn' : 'pass';
  const decided = progress.decided.keep + progress.decided.narrow + progress.decided.revoke;
  const outcome: ControlOutcome = {
    id: ACCESS_REVIEW_SECTION.id,
    title: ACCESS_REVIEW_SECTION.title,
    description: ACCESS_REVIEW_SECTION.description,
    clauses: Object.entries(ACCESS_REVIEW_SECTION.mappings).flatMap(([f, c]) => c.map((clause) => `${FRAMEWORK_NAMES[f as Framework]} ${clause}`)),
    mappings: Object.fromEntries(Object.entries(ACCESS_REVIEW_SECTION.mappings).map(([f, c]) => [f, [...c]])),
    status,
    summary:
      `${decided} of ${plural(progress.total, 'item')} decided (${progress.decided.keep} kept, ${progress.decided.narrow} narrowed, ` +
      `${progress.decided.revoke} revoked); ${progress.overdue} overdue, ${progress.pending} undecided at closing.`,
    evidenceCount: progress.total,
    metrics: campaignMetrics(campaign, progress),
  };
  return {
    title: `Access review: ${campaign.name}`,
    now: new Date(),
    summary: { pass: status === 'pass' ? 1 : 0, warn: status === 'warn' ? 1 : 0, fail: status === 'fail' ? 1 : 0 },
    sections: [{ outcome, evidence: (cap) => itemRows(reads, tx, campaignId, cap) }],
  };
}

function campaignMetrics(c: CampaignRecord, p: { total: number; pending: number; overdue: number; decided: Record<string, number> }): ControlOutcome['metrics'] {
  return {
    campaignId: c.id,
    name: c.name,
    scope: JSON.stringify(c.scope),
    reviewer: typeof c.reviewer === 'string' ? c.reviewer : c.reviewer.userId,
    onOverdue: c.onOverdue,
    separationOfDuties: String(c.separationOfDuties),
    openedAt: c.createdAt.toISOString(),
    openedBy: c.createdBy,
    scheduledFor: c.scheduledFor?.toISOString() ?? null,
    dueAt: c.dueAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    closedBy: c.closedBy,
    total: p.total,
    kept: p.decided.keep ?? 0,
    narrowed: p.decided.narrow ?? 0,
    revoked: p.decided.revoke ?? 0,
    overdue: p.overdue,
    undecided: p.pending,
  };
}

async function* itemRows(reads: CampaignReportReads, tx: Tx, campaignId: string, cap: number | null): AsyncGenerator<EvidenceRow> {
  let after: string | null = null;
  let given = 0;
  for (;;) {
    const limit = cap === null ? ITEM_PAGE : Math.min(ITEM_PAGE, cap - given);
    if (limit <= 0) return;
    const items = await reads.campaignItems(tx, campaignId, after, limit);
    for (const item of items) yield itemRow(item);
    given += items.length;
    if (items.length < limit) return;
    after = items[items.length - 1]!.id;
  }
}

function itemRow(i: ItemRecord): EvidenceRow {
  const detail =
    i.status === 'decided'
      ? `${i.decision} by ${i.decidedBy} at ${i.decidedAt!.toISOString()}${i.effect ? `: ${i.effect}` : ''}`
      : i.status === 'overdue'
        ? `overdue${i.effect ? `: ${i.effect}` : ''}`
        : 'undecided';
  return {
    key: i.id,
    subject: i.tokenId,
    detail,
    data: {
      itemId: i.id,
      tokenName: i.tokenName,
      scopes: i.tokenScopes.join(' '),
      steward: i.stewardUserId,
      reviewer: i.reviewerUserId ?? 'owners and admins',
      status: i.status,
      decision: i.decision,
      decidedScopes: i.decidedScopes?.join(' ') ?? null,
      comment: i.comment,
      decidedBy: i.decidedBy,
      decidedAt: i.decidedAt?.toISOString() ?? null,
      effect: i.effect,
    },
  };
}
