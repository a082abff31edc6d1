import type { ComplianceRepository, EvidenceSet } from '@custos/persistence';
import type { ComplianceControl, ControlContext, EvidenceReads } from './control';
import { plural } from './findings-control';

/** A leaked token should be revoked within this long of its report (it is, in the report's own transaction). */
export const LEAK_REVOCATION_MAX_MS = 60_000;

export type AlertResponseReads = EvidenceReads & Pick<ComplianceRepository, 'alertAnswers' | 'leakRevocations' | 'alertRemediationCounts'>;

const answers = (ctx: ControlContext): EvidenceSet => ({ of: 'alert_answers', from: ctx.from, to: ctx.to, now: ctx.now, ackWithinMinutes: ctx.policy.alertAckWithinMinutes });
const leaks = (ctx: ControlContext): EvidenceSet => ({ of: 'leak_reports', from: ctx.from, to: ctx.to });
const remediations = (ctx: ControlContext): EvidenceSet => ({ of: 'alert_remediations', from: ctx.from, to: ctx.to });

/** Alerts raised in the period are answered within the tenant's SLA (docs/alerts.md). */
export const alertAcknowledgementControl = (compliance: AlertResponseReads): ComplianceControl => ({
  id: 'alert-acknowledgement',
  title: 'Alerts are acknowledged within the SLA',
  description:
    "Every alert raised in the period was acknowledged (or resolved) within the tenant policy's alerts.ackWithinMinutes. An alert still unanswered past it fails the control; one answered late warns.",
  mappings: {
    soc2: ['CC7.3', 'CC7.4'],
    gdpr: ['Art. 33'],
    hipaa: ['§164.308(a)(6)'],
    pci_dss: ['10.7.2', '12.10.1'],
  },
  async assess(tx, ctx) {
    const stats = await compliance.alertAnswers(tx, ctx.from, ctx.to, ctx.now, ctx.policy.alertAckWithinMinutes);
    const status = stats.overdue > 0 ? 'fail' : stats.late > 0 ? 'warn' : 'pass';
    const sla = `${ctx.policy.alertAckWithinMinutes} min`;
    const summary =
      stats.raised === 0
        ? 'No alert was raised in the period.'
        : `${plural(stats.raised, 'alert')} raised: ${stats.inTime} answered within ${sla}, ${stats.late} late, ${stats.overdue} unanswered past it.`;
    return {
      status,
      summary,
      evidenceCount: stats.raised,
      metrics: { raised: stats.raised, answeredInTime: stats.inTime, answeredLate: stats.late, overdue: stats.overdue, ackWithinMinutes: ctx.policy.alertAckWithinMinutes },
    };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, answers(ctx), after, limit);
  },
});

/** Leaked tokens are revoked within a minute of their report. */
export const leakedTokenRevocationControl = (compliance: AlertResponseReads): ComplianceControl => ({
  id: 'leaked-token-revocation',
  title: 'Leaked tokens are revoked within 60 s of the report',
  description: `For every token reported as leaked in the period (GitHub secret scanning or a public report): the time from its token.leak_reported audit event to its revocation. A reported token still live fails the control; a revocation more than ${LEAK_REVOCATION_MAX_MS / 1000} s after the report fails it too.`,
  mappings: {
    soc2: ['CC7.4'],
    gdpr: ['Art. 32', 'Art. 33'],
    pci_dss: ['12.10.1'],
    psd2: ['RTS art. 22'],
  },
  async assess(tx, ctx) {
    const stats = await compliance.leakRevocations(tx, ctx.from, ctx.to, LEAK_REVOCATION_MAX_MS);
    const status = stats.live > 0 || stats.slow > 0 ? 'fail' : 'pass';
    const summary =
      stats.reports === 0
        ? 'No token was reported as leaked in the period.'
        : `${plural(stats.reports, 'leak report')}: the slowest revocation took ${stats.maxMs ?? 0} ms; ${stats.slow} over ${LEAK_REVOCATION_MAX_MS / 1000} s, ${stats.live} still live.`;
    return { status, summary, evidenceCount: stats.reports, metrics: { reports: stats.reports, maxLatencyMs: stats.maxMs, slowRevocations: stats.slow, stillLive: stats.live } };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, leaks(ctx), after, limit);
  },
});

/** Lists the remediation actions taken with their alerts (an auditor sees what automation did on its own). */
export const alertRemediationControl = (compliance: AlertResponseReads): ComplianceControl => ({
  id: 'alert-remediation',
  title: 'Automatic remediation actions are listed with their alerts',
  description:
    "Lists every alert raised in the period whose rule asks for remediation, with what was done to its token (suspended or revoked, and when) or why nothing was (a key that administers the tenant, a token past the change). Remediation left undone makes the control warn, for review.",
  mappings: {
    soc2: ['CC7.4'],
    pci_dss: ['12.10.1'],
  },
  async assess(tx, ctx) {
    const { total: count, undone: skipped } = await compliance.alertRemediationCounts(tx, ctx.from, ctx.to);
    const summary = count === 0 ? 'No alert asked for remediation in the period.' : `${plural(count, 'remediation')}: ${count - skipped} done, ${skipped} left undone.`;
    return { status: skipped > 0 ? 'warn' : 'pass', summary, evidenceCount: count, metrics: { remediations: count, done: count - skipped, leftUndone: skipped } };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, remediations(ctx), after, limit);
  },
});
