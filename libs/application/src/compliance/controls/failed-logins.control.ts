import type { ComplianceRepository, EvidenceSet } from '@custos/persistence';
import type { ComplianceControl, ControlContext, EvidenceReads } from './control';
import { plural } from './findings-control';

export type FailedLoginReads = EvidenceReads & Pick<ComplianceRepository, 'loginFailureCounts'>;

const attempts = (ctx: ControlContext): EvidenceSet => ({ of: 'failed_logins', from: ctx.from, to: ctx.to });

/**
 * Failed log-ins are expected; what an auditor wants is that they are recorded and that repeated ones
 * lock the account. Lockouts in the period make the control warn, so someone looks at them.
 */
export const failedLoginsControl = (compliance: FailedLoginReads): ComplianceControl => ({
  id: 'failed-logins',
  title: 'Failed log-ins and lockouts are recorded',
  description:
    'Lists the failed log-ins (auth.login_failed) and account lockouts (auth.locked_out) of the period from the audit trail. Lockouts make the control warn, for review.',
  mappings: {
    soc2: ['CC6.1', 'CC7.2'],
    hipaa: ['§164.312(b)', '§164.312(d)'],
    pci_dss: ['10.2'],
    gdpr: ['Art. 32'],
  },
  async assess(tx, ctx) {
    const count = await compliance.countEvidence(tx, attempts(ctx));
    const { failed, locked } = await compliance.loginFailureCounts(tx, ctx.from, ctx.to);
    return {
      status: locked > 0 ? 'warn' : 'pass',
      summary: `${plural(failed, 'failed log-in')} and ${plural(locked, 'lockout')} in the period.`,
      evidenceCount: count,
      metrics: { failedLogins: failed, lockouts: locked },
    };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, attempts(ctx), after, limit);
  },
});
