import type { ComplianceRepository } from '@custos/persistence';
import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

export type RevocationReads = EvidenceReads & Pick<ComplianceRepository, 'revocationCount'>;

/** Revocations of the period that do not say why or by whom. */
export const revocationAccountabilityControl = (compliance: RevocationReads): ComplianceControl =>
  findingsControl(compliance, {
    id: 'revocation-accountability',
    title: 'Every revocation has a reason and an actor',
    description: 'Every token revoked within the period records who revoked it (a person, a service key or the system on their behalf) and why.',
    mappings: {
      soc2: ['CC6.2', 'CC7.2'],
      gdpr: ['Art. 30'],
      hipaa: ['§164.312(b)'],
      pci_dss: ['10.2'],
    },
    findings: (ctx) => ({ of: 'unaccountable_revocations', from: ctx.from, to: ctx.to }),
    async metrics(tx, ctx) {
      return { revocations: await compliance.revocationCount(tx, ctx.from, ctx.to) };
    },
    summary: (found, _ctx, metrics) =>
      found === 0
        ? `All ${plural(Number(metrics.revocations), 'revocation')} of the period have a reason and an actor.`
        : `${plural(found, 'revocation')} of ${Number(metrics.revocations)} lack a reason or an actor.`,
  });
