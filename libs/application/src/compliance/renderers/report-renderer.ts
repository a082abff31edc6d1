import type { ControlStatus, Framework, ReportFormat } from '@custos/contracts';
import type { ControlOutcome } from '../compliance-evaluator';
import type { EvidenceRow } from '../controls';

/** What the cover of every report says. */
export interface ReportHeading {
  reportId: string;
  tenantId: string;
  tenantName: string;
  framework: Framework;
  frameworkName: string;
  format: ReportFormat;
  from: string;
  to: string;
  generatedAt: string;
  /** Who asked for it: the account's e-mail, or the service key's id. */
  generatedBy: string;
  summary: Record<ControlStatus, number>;
}

/** Where a renderer's bytes go (ReportFileWriter in production). */
export interface ReportSink {
  write(chunk: string | Buffer): Promise<void>;
}

/**
 * A report format. The generator calls begin once with every control's verdict, then control once per
 * control with its evidence as an async stream (read in keyset pages), then end. A renderer writes as
 * it goes and keeps nothing but what its format needs.
 */
export interface ReportRenderer {
  /** Evidence rows per control the format shows; null for all of them. */
  readonly evidenceCap: number | null;
  begin(heading: ReportHeading, outcomes: readonly ControlOutcome[]): Promise<void>;
  control(outcome: ControlOutcome, evidence: AsyncIterable<EvidenceRow>): Promise<void>;
  end(): Promise<void>;
}
