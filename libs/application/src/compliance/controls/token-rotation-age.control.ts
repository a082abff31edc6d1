import type { ComplianceRepository } from '@custos/persistence';
import type { ComplianceControl, EvidenceReads } from './control';
import { findingsControl, plural } from './findings-control';

export type RotationAgeReads = EvidenceReads & Pick<ComplianceRepository, 'rotationBacklog'>;

/**
 * Tokens older than their rotation interval (their own, else the policy's default). A token with no
 * interval at all cannot be checked: it is counted and makes the control warn, not pass.
 */
export const tokenRotationAgeControl = (compliance: RotationAgeReads): ComplianceControl =>
  findingsControl(compliance, {
    id: 'token-rotation-age',
    title: 'No token is older than its rotation interval',
    description:
      "Active and suspended tokens are younger than their rotation interval (the token's own, else the policy's default). Rotating tokens are in their grace period and are left out. Tokens with no interval cannot be checked and make the control warn.",
    mappings: {
      soc2: ['CC6.1'],
      gdpr: ['Art. 32'],
      pci_dss: ['8.3.9', '8.6.3'],
      psd2: ['RTS art. 22'],
    },
    findings: (ctx) => ({ of: 'tokens_due_rotation', defaultRotationSeconds: ctx.policy.defaultRotationIntervalSeconds, now: ctx.now }),
    async metrics(tx, ctx) {
      const backlog = await compliance.rotationBacklog(tx, ctx.policy.defaultRotationIntervalSeconds, ctx.now);
      return { overdue: backlog.overdue, withoutInterval: backlog.unchecked };
    },
    decide: (found, metrics) => (found === 0 ? 'pass' : Number(metrics.overdue) > 0 ? 'fail' : 'warn'),
    summary: (found, _ctx, metrics) =>
      found === 0
        ? 'Every active token is younger than its rotation interval.'
        : `${plural(Number(metrics.overdue), 'token')} overdue for rotation; ${plural(Number(metrics.withoutInterval), 'token')} without a rotation interval.`,
  });
