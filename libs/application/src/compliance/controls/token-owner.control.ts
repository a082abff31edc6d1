import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

export const tokenOwnerControl = (evidence: EvidenceReads): ComplianceControl =>
  findingsControl(evidence, {
    id: 'token-owner',
    title: 'Every token has an owner service',
    description: 'Every live token names the service that owns it, so each credential has someone accountable for it and a place its rotated secret goes.',
    mappings: {
      soc2: ['CC6.1', 'CC6.3'],
      hipaa: ['§164.312(d)'],
      pci_dss: ['8.6.3'],
      psd2: ['RTS art. 22'],
    },
    findings: () => ({ of: 'tokens_without_owner' }),
    summary: (found) => (found === 0 ? 'Every live token has an owner service.' : `${plural(found, 'live token')} without an owner service.`),
  });
