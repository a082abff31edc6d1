import type { ComplianceRepository } from '@custos/persistence';
import { SCOPE_BREADTH_RULE } from '../scope-breadth';
import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

export type ScopeBreadthReads = EvidenceReads & Pick<ComplianceRepository, 'wildcardTokenCount'>;

/** Live tokens with a wildcard-like scope (fail), or a bare resource scope or too many scopes (warn). */
export const scopeBreadthControl = (compliance: ScopeBreadthReads): ComplianceControl =>
  findingsControl(compliance, {
    id: 'scope-breadth',
    title: 'No wildcard or over-broad scopes',
    description: `No live token holds a scope that names no particular permission (all, admin, root, …:all, …:admin): such a scope fails the control. A bare resource scope without an action (orders rather than orders:read) or more than ${SCOPE_BREADTH_RULE.maxScopes} scopes on one token makes it warn.`,
    mappings: {
      soc2: ['CC6.1', 'CC6.3'],
      gdpr: ['Art. 32'],
      pci_dss: ['8.6.3'],
      psd2: ['RTS art. 22'],
    },
    findings: () => ({ of: 'broad_scope_tokens', rule: SCOPE_BREADTH_RULE }),
    async metrics(tx) {
      return { wildcard: await compliance.wildcardTokenCount(tx, SCOPE_BREADTH_RULE) };
    },
    decide: (found, metrics) => (found === 0 ? 'pass' : Number(metrics.wildcard) > 0 ? 'fail' : 'warn'),
    summary: (found, _ctx, metrics) =>
      found === 0
        ? 'Every live token holds specific resource:action scopes.'
        : `${plural(Number(metrics.wildcard), 'live token')} with a wildcard scope; ${plural(found, 'token')} with over-broad scopes in all.`,
  });
