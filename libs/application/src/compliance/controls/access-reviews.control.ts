import type { ComplianceRepository } from '@custos/persistence';
import type { ComplianceControl, EvidenceReads } from './control';
import { plural } from './findings-control';

export type AccessReviewReads = EvidenceReads & Pick<ComplianceRepository, 'accessReviewStats'>;

/** Access reviews happen, and finish on time (docs/access-reviews.md). */
export const accessReviewsControl = (compliance: AccessReviewReads): ComplianceControl => ({
  id: 'access-reviews-on-schedule',
  title: 'Access reviews are completed on schedule',
  description:
    'Every access review campaign due in the period had every item decided by its due date. A campaign with items overdue (its onOverdue ' +
    'applied instead of a decision), or closed or past due with items undecided, fails the control; no campaign due in the period warns: ' +
    "nobody confirmed that tokens are still needed. The campaigns are the evidence; each campaign's signed report has its decisions.",
  mappings: {
    soc2: ['CC6.2', 'CC6.3'],
    gdpr: ['Art. 32(1)(d)'],
    hipaa: ['§164.308(a)(4)(ii)(C)'],
    pci_dss: ['7.2.4', '8.6'],
  },
  async assess(tx, ctx) {
    const stats = await compliance.accessReviewStats(tx, ctx.from, ctx.to, ctx.now);
    const status = stats.late > 0 ? 'fail' : stats.campaigns === 0 ? 'warn' : 'pass';
    const summary =
      stats.campaigns === 0
        ? 'No access review campaign was due in the period.'
        : `${plural(stats.campaigns, 'campaign')} due (${plural(stats.items, 'item')}): ${stats.campaigns - stats.late} completed on time, ${stats.late} not; ${plural(stats.overdueItems, 'item')} overdue.`;
    return { status, summary, evidenceCount: stats.campaigns, metrics: { campaigns: stats.campaigns, late: stats.late, items: stats.items, overdueItems: stats.overdueItems } };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, { of: 'access_reviews', from: ctx.from, to: ctx.to, now: ctx.now }, after, limit);
  },
});
