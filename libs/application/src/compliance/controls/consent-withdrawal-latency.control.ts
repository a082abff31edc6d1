import type { ComplianceRepository, EvidenceSet } from '@custos/persistence';
import type { ComplianceControl, ControlContext, EvidenceReads } from './control';
import { plural } from './findings-control';

/** A withdrawal slower than this (from the consent.withdrawn event to its last token.revoked) warns. */
export const WITHDRAWAL_LATENCY_WARN_MS = 60_000;

export type WithdrawalLatencyReads = EvidenceReads & Pick<ComplianceRepository, 'withdrawalLatency'>;

/**
 * The withdrawal and the revocations it causes are written in one transaction and share its request
 * id (docs/consents.md): the latency is measured between those audit events. A token still live under
 * a withdrawn consent fails the control whatever the latencies.
 */
const withdrawals = (ctx: ControlContext): EvidenceSet => ({ of: 'consent_withdrawals', from: ctx.from, to: ctx.to });

export const consentWithdrawalLatencyControl = (compliance: WithdrawalLatencyReads): ComplianceControl => ({
  id: 'consent-withdrawal-latency',
  title: 'Tokens are revoked as soon as their consent is withdrawn',
  description: `For every consent withdrawn in the period: the time from its consent.withdrawn audit event to the token.revoked events of the same request (max and 95th percentile over all tokens revoked). A token still live under a withdrawn consent fails the control; a latency above ${WITHDRAWAL_LATENCY_WARN_MS / 1000} s warns.`,
  mappings: {
    soc2: ['CC6.2'],
    gdpr: ['Art. 7(3)'],
  },
  async assess(tx, ctx) {
    const count = await compliance.countEvidence(tx, withdrawals(ctx));
    const stats = await compliance.withdrawalLatency(tx, ctx.from, ctx.to);
    const maxMs = stats.maxMs;
    const live = stats.live;
    const status = live > 0 ? 'fail' : maxMs !== null && maxMs > WITHDRAWAL_LATENCY_WARN_MS ? 'warn' : 'pass';
    const summary =
      count === 0
        ? 'No consent was withdrawn in the period.'
        : `${plural(count, 'withdrawal')}, ${plural(stats.revoked, 'token')} revoked; max ${maxMs ?? 0} ms, p95 ${stats.p95Ms ?? 0} ms` +
          (live > 0 ? `; ${plural(live, 'token')} still live under a withdrawn consent.` : '.');
    return {
      status,
      summary,
      evidenceCount: count,
      metrics: { withdrawals: count, revokedTokens: stats.revoked, maxLatencyMs: maxMs, p95LatencyMs: stats.p95Ms, stillLiveTokens: live },
    };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, withdrawals(ctx), after, limit);
  },
});
