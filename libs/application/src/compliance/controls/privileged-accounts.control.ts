import type { ComplianceRepository, EvidenceSet } from '@custos/persistence';
import type { ComplianceControl, ControlContext, EvidenceReads } from './control';
import { plural } from './findings-control';

/** A privileged account without a log-in for this long is dormant access and makes the control warn. */
export const DORMANT_PRIVILEGED_DAYS = 90;

export type PrivilegedAccountReads = EvidenceReads & Pick<ComplianceRepository, 'dormantPrivilegedCount'>;

const privileged = (ctx: ControlContext): EvidenceSet => ({ of: 'privileged_accounts', now: ctx.now, dormantDays: DORMANT_PRIVILEGED_DAYS });

/** The listing auditors ask for: who holds owner or admin, and whether they still use it. */
export const privilegedAccountsControl = (compliance: PrivilegedAccountReads): ComplianceControl => ({
  id: 'privileged-accounts',
  title: 'Privileged accounts are listed and in use',
  description: `Lists every account with the owner or admin role (privileged access), with its last log-in. An owner or admin that has not logged in for ${DORMANT_PRIVILEGED_DAYS} days is dormant privileged access and makes the control warn.`,
  mappings: {
    soc2: ['CC6.1', 'CC6.3'],
    gdpr: ['Art. 32'],
    hipaa: ['§164.312(d)'],
    pci_dss: ['8.6.3'],
  },
  async assess(tx, ctx) {
    const count = await compliance.countEvidence(tx, privileged(ctx));
    const dormantCount = await compliance.dormantPrivilegedCount(tx, ctx.now, DORMANT_PRIVILEGED_DAYS);
    return {
      status: dormantCount > 0 ? 'warn' : 'pass',
      summary: `${plural(count, 'privileged account')}${dormantCount > 0 ? `, ${dormantCount} dormant` : ''}.`,
      evidenceCount: count,
      metrics: { privilegedAccounts: count, dormant: dormantCount },
    };
  },
  evidence(tx, ctx, after, limit) {
    return compliance.evidencePage(tx, privileged(ctx), after, limit);
  },
});
