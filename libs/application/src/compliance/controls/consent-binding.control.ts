import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

/** Live tokens reaching categories the policy reserves for consented access, with no consent bound. */
export const consentBindingControl = (evidence: EvidenceReads): ComplianceControl =>
  findingsControl(evidence, {
    id: 'consent-binding',
    title: 'Tokens carrying personal or health data are bound to a consent',
    description:
      "Every live token whose data categories include one the tenant policy's requireConsentFor names (by default personal and health) is bound to a consent. A token issued before the policy named its category is a finding.",
    mappings: {
      gdpr: ['Art. 7(3)', 'Art. 30'],
      psd2: ['RTS art. 22'],
    },
    findings: (ctx) => ({ of: 'unconsented_tokens', categories: ctx.policy.requireConsentFor }),
    summary: (found, ctx) =>
      found === 0
        ? `Every live token carrying ${ctx.policy.requireConsentFor.join(' or ') || 'consent-bound'} data is bound to a consent.`
        : `${plural(found, 'live token')} carry ${ctx.policy.requireConsentFor.join(' or ')} data without a consent.`,
  });
