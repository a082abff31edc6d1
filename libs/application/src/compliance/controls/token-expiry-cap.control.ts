import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

/** Live tokens whose lifetime (creation to expiry) is longer than the policy allows now. */
export const tokenExpiryCapControl = (evidence: EvidenceReads): ComplianceControl =>
  findingsControl(evidence, {
    id: 'token-expiry-cap',
    title: 'Every live token expires within the policy cap',
    description:
      "Every active, rotating or suspended token has an expiry (the schema requires one) no later than its creation plus the tenant policy's maximum lifetime. A token issued before the cap was lowered is a finding.",
    mappings: {
      soc2: ['CC6.1', 'CC6.2'],
      gdpr: ['Art. 32'],
      hipaa: ['§164.312(d)'],
      pci_dss: ['8.3.9', '8.6.3'],
      psd2: ['RTS art. 22'],
    },
    findings: (ctx) => ({ of: 'tokens_outliving_cap', maxLifetimeSeconds: ctx.policy.maxLifetimeSeconds }),
    summary: (found, ctx) =>
      found === 0
        ? `Every live token expires within ${Math.round(ctx.policy.maxLifetimeSeconds / 86400)} days of its creation.`
        : `${plural(found, 'live token')} outlive the ${Math.round(ctx.policy.maxLifetimeSeconds / 86400)}-day cap.`,
  });
