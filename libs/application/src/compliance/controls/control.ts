import type { ControlStatus, Framework } from '@custos/contracts';
import type { Tx } from '@custos/persistence';

/** The tenant's policy as the controls read it. */
export interface PolicyFacts {
  maxLifetimeSeconds: number;
  defaultRotationIntervalSeconds: number | null;
  disableUnusedAfterDays: number;
  requireConsentFor: string[];
}

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

/** One row of evidence: the object it is about, what was found, and the facts behind it. */
export interface EvidenceRow {
  /** Keyset position of the row within the control's evidence (stable order, unique). */
  key: string;
  /** What the row is about: a token id, a user id, a consent id, an audit sequence range. */
  subject: string;
  detail: string;
  data: Record<string, string | number | boolean | null>;
}

/**
 * One control of the catalogue. Evaluation is SQL in the tenant's transaction (row-level security
 * applies, so a control cannot see another tenant). Evidence is read in keyset pages, so a report of
 * any size streams it instead of holding it.
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

/** Token statuses in which a token still works or will again (suspended can be resumed). */
export const LIVE_TOKEN_STATUSES_SQL = `('active', 'rotating', 'suspended')`;

/** pass when nothing was found; else fail (or the severity given). */
export function statusOf(found: number, severity: Exclude<ControlStatus, 'pass'> = 'fail'): ControlStatus {
  return found === 0 ? 'pass' : severity;
}

/**
 * Reads one keyset page of a control's evidence query. `sql` selects the columns `key`, `subject`,
 * `detail` and `data` (jsonb); its parameters are `params`, and the page's bounds go after them.
 */
export async function evidencePage(
  tx: Tx,
  sql: string,
  params: readonly unknown[],
  after: string | null,
  limit: number,
): Promise<EvidenceRow[]> {
  const n = params.length;
  return tx.rows<EvidenceRow>(
    `SELECT e.key, e.subject, e.detail, e.data FROM (${sql}) e
      WHERE $${n + 1}::text IS NULL OR e.key > $${n + 1}::text
      ORDER BY e.key LIMIT $${n + 2}`,
    [...params, after, limit],
  );
}

/** Counts the rows of a control's evidence query. */
export async function countEvidence(tx: Tx, sql: string, params: readonly unknown[]): Promise<number> {
  const row = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) e`, [...params]);
  return row?.n ?? 0;
}
