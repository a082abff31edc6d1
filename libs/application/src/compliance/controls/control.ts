import type { ControlStatus, Framework } from '@custos/contracts';
import type { ComplianceRepository, EvidenceRow, PolicyFacts, Tx } from '@custos/persistence';

export type { EvidenceRow, PolicyFacts };

/** What every control reads its evidence with: the rows of its evidence set, counted and paged. */
export type EvidenceReads = Pick<ComplianceRepository, 'countEvidence' | 'evidencePage'>;

/** What a control is evaluated against: one tenant (the transaction's, under RLS) and one period. */
export interface ControlContext {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** When the evaluation runs: state controls (live tokens, accounts) describe the tenant at this instant. */
  now: Date;
  policy: PolicyFacts;
}

/** Scalar facts a control reports beside its status (counts, latencies). */
export type ControlMetrics = Record<string, number | string | null>;

/** What a control found, without its evidence rows. */
export interface ControlAssessment {
  status: ControlStatus;
  /** One sentence an auditor can read without the evidence. */
  summary: string;
  /** How many evidence rows there are (all of them, not a capped page). */
  evidenceCount: number;
  metrics: ControlMetrics;
}

/**
 * One control of the catalogue. Evaluation reads the tenant's rows through ComplianceRepository in the
 * tenant's transaction (row-level security applies, so a control cannot see another tenant). Evidence is
 * read in keyset pages, so a report of any size streams it instead of holding it.
 */
export interface ComplianceControl {
  id: string;
  title: string;
  /** What is checked and what makes it pass, warn or fail. */
  description: string;
  /** Framework → clause references the control gives evidence for. */
  mappings: Partial<Record<Framework, readonly string[]>>;
  assess(tx: Tx, ctx: ControlContext): Promise<ControlAssessment>;
  /** Evidence rows with key > `after` (all when null), in key order, at most `limit`. */
  evidence(tx: Tx, ctx: ControlContext, after: string | null, limit: number): Promise<EvidenceRow[]>;
}

/** pass when nothing was found; else fail (or the severity given). */
export function statusOf(found: number, severity: Exclude<ControlStatus, 'pass'> = 'fail'): ControlStatus {
  return found === 0 ? 'pass' : severity;
}
