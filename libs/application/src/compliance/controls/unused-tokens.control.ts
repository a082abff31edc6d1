import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

/** Active tokens quiet for longer than the policy's limit (the quiet period as the unused-token sweep counts it). */
export const unusedTokensControl = (evidence: EvidenceReads): ComplianceControl =>
  findingsControl(evidence, {
    id: 'unused-tokens',
    title: "No active token is unused past the policy's limit",
    description:
      "No active token has gone unused (since its creation, last use or last resume, whichever is latest) for longer than the tenant policy's disableUnusedAfterDays. The worker suspends such tokens; a finding means it has not yet.",
    mappings: {
      soc2: ['CC6.2', 'CC6.3'],
      gdpr: ['Art. 5(1)(e)'],
      pci_dss: ['8.6.3'],
    },
    findings: (ctx) => ({ of: 'unused_tokens', days: ctx.policy.disableUnusedAfterDays, now: ctx.now }),
    summary: (found, ctx) =>
      found === 0
        ? `Every active token was used (or created or resumed) within the last ${ctx.policy.disableUnusedAfterDays} days.`
        : `${plural(found, 'active token')} unused for more than ${ctx.policy.disableUnusedAfterDays} days.`,
  });
