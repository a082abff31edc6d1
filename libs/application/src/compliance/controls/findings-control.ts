import type { ControlStatus } from '@custos/contracts';
import type { EvidenceSet, Tx } from '@custos/persistence';
import {
  statusOf,
  type ComplianceControl,
  type ControlAssessment,
  type ControlContext,
  type ControlMetrics,
  type EvidenceReads,
} from './control';

export interface FindingsControlSpec extends Omit<ComplianceControl, 'assess' | 'evidence'> {
  /** The rows that break the control (each one is a finding). */
  findings(ctx: ControlContext): EvidenceSet;
  /** How bad a finding is; a control that finds nothing passes. */
  severity?: Exclude<ControlStatus, 'pass'>;
  summary(found: number, ctx: ControlContext, metrics: ControlMetrics): string;
  metrics?(tx: Tx, ctx: ControlContext): Promise<ControlMetrics>;
  /** For controls whose findings are not all equally bad: the status from the findings and metrics. */
  decide?(found: number, metrics: ControlMetrics): ControlStatus;
}

/** The common shape of a control: its evidence is the list of findings; any finding fails it. */
export function findingsControl(evidence: EvidenceReads, spec: FindingsControlSpec): ComplianceControl {
  const { findings, severity, summary, metrics, decide, ...identity } = spec;
  return {
    ...identity,
    async assess(tx, ctx): Promise<ControlAssessment> {
      const found = await evidence.countEvidence(tx, findings(ctx));
      const facts: ControlMetrics = { findings: found, ...(metrics ? await metrics(tx, ctx) : {}) };
      return {
        status: decide ? decide(found, facts) : statusOf(found, severity),
        summary: summary(found, ctx, facts),
        evidenceCount: found,
        metrics: facts,
      };
    },
    evidence(tx, ctx, after, limit) {
      return evidence.evidencePage(tx, findings(ctx), after, limit);
    },
  };
}

/** "1 token" / "3 tokens". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
