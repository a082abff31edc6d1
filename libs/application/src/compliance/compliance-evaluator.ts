import { Inject, Injectable } from '@nestjs/common';
import type { ControlStatus, Framework } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { ComplianceRepository, Database, type Tx } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { AuditSealer } from '../audit/audit-sealer';
import { periodErrors, type Period } from '../shared/period';
import { requireScope } from '../shared/require-scope';
import {
  controlCatalogue,
  controlsFor,
  type ComplianceControl,
  type ControlAssessment,
  type ControlContext,
  type ControlReads,
  type EvidenceRow,
} from './controls';

/** A control evaluated for one framework: its clauses there, its verdict, and the first of its evidence. */
export interface ControlOutcome {
  id: string;
  title: string;
  description: string;
  clauses: string[];
  /** Every framework the control maps to, with its clauses (for the table's mapping column). */
  mappings: Partial<Record<Framework, string[]>>;
  status: ControlStatus;
  summary: string;
  evidenceCount: number;
  metrics: ControlAssessment['metrics'];
}

export interface ControlOutcomeWithEvidence extends ControlOutcome {
  /** At most the requested number of rows; evidenceCount says how many there are. */
  evidence: Omit<EvidenceRow, 'key'>[];
}

export type { Period } from '../shared/period';

/** Longest period a report or the live table covers: the audit trail is kept for good, but evaluation reads all of it. */
export const MAX_PERIOD_DAYS = 3 * 366;

export function checkPeriod(period: Period): void {
  const errors = periodErrors(period, MAX_PERIOD_DAYS);
  if (errors.length > 0) throw DomainError.validation(errors);
}

export function summaryOf(outcomes: readonly Pick<ControlOutcome, 'status'>[]): Record<ControlStatus, number> {
  const counts: Record<ControlStatus, number> = { pass: 0, warn: 0, fail: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

/** What the controls read, and the tenant policy they are held against. */
export type ComplianceReads = ControlReads & Pick<ComplianceRepository, 'policyFacts'>;

export async function contextFor(policies: Pick<ComplianceRepository, 'policyFacts'>, tx: Tx, period: Period, now = new Date()): Promise<ControlContext> {
  return { from: period.from, to: period.to, now, policy: await policies.policyFacts(tx) };
}

/** Assesses one control within the caller's transaction. */
export async function assessControl(tx: Tx, control: ComplianceControl, framework: Framework, ctx: ControlContext): Promise<ControlOutcome> {
  const assessment = await control.assess(tx, ctx);
  return {
    id: control.id,
    title: control.title,
    description: control.description,
    clauses: [...(control.mappings[framework] ?? [])],
    mappings: Object.fromEntries(Object.entries(control.mappings).map(([f, clauses]) => [f, [...clauses]])),
    ...assessment,
  };
}

/** The live control table (GET /v1/compliance/controls): every control of a framework, with its first evidence rows. */
@Injectable()
export class ComplianceEvaluator {
  private readonly controls: readonly ComplianceControl[];

  constructor(
    private readonly db: Database,
    private readonly sealer: AuditSealer,
    @Inject(ComplianceRepository) private readonly compliance: ComplianceReads,
  ) {
    this.controls = controlCatalogue(compliance);
  }

  async evaluate(principal: Principal, input: Period & { framework: Framework; evidenceLimit: number }): Promise<ControlOutcomeWithEvidence[]> {
    requireScope(principal, 'custos:reports:read');
    checkPeriod(input);
    // Events committed but not sealed yet would make the chain control warn for no reason.
    await this.sealer.sealTenant(principal.tenantId);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const ctx = await contextFor(this.compliance, tx, input);
      const outcomes: ControlOutcomeWithEvidence[] = [];
      for (const control of controlsFor(input.framework, this.controls)) {
        const outcome = await assessControl(tx, control, input.framework, ctx);
        const rows = input.evidenceLimit > 0 ? await control.evidence(tx, ctx, null, input.evidenceLimit) : [];
        outcomes.push({ ...outcome, evidence: rows.map(({ key: _key, ...row }) => row) });
      }
      return outcomes;
    });
  }

  /** The catalogue itself, for documentation and the dashboard's mapping column. */
  catalogue(): Array<Pick<ControlOutcome, 'id' | 'title' | 'description' | 'mappings'>> {
    return this.controls.map((c) => ({
      id: c.id,
      title: c.title,
      description: c.description,
      mappings: Object.fromEntries(Object.entries(c.mappings).map(([f, clauses]) => [f, [...clauses]])),
    }));
  }
}
