import type { ControlStatus, Framework, ReportFormat } from '@custos/contracts';
import type { CrossBorderTransferView } from '../../usage/cross-border-query';
import type { ControlOutcome } from '../compliance-evaluator';
import type { EvidenceRow } from '../controls';
import { plural } from '../controls/findings-control';

/** What the cover of every report says. */
export interface ReportHeading {
  reportId: string;
  tenantId: string;
  tenantName: string;
  /** Null for an access review campaign's report; frameworkName then names the campaign. */
  framework: Framework | null;
  frameworkName: string;
  format: ReportFormat;
  from: string;
  to: string;
  generatedAt: string;
  /** Who asked for it: the account's e-mail, or the service key's id. */
  generatedBy: string;
  summary: Record<ControlStatus, number>;
}

/** The cross-border transfers of the report's period (as GET /v1/cross-border lists them), after the controls. */
export interface CrossBorderSection {
  /** The start of the first hour counted (the usage rollups are hourly), and the period's end, exclusive. */
  from: string;
  to: string;
  /** Token-country pairs, uses and tokens: known before the rows are read. */
  transfers: number;
  uses: number;
  tokens: number;
  /** Every transfer, ordered by token then country, read in pages. */
  items: AsyncIterable<CrossBorderTransferView>;
}

/** The section's id (where a format needs one, as the CSV's control_id) and title. */
export const CROSS_BORDER_SECTION = { id: 'cross-border-summary', title: 'Cross-border transfers of the period' } as const;

/** The section in one sentence. */
export function crossBorderSentence(section: Omit<CrossBorderSection, 'items'>): string {
  const { transfers, uses, tokens } = section;
  if (transfers === 0) return `No token was used from outside its residency region from ${section.from} to ${section.to}.`;
  return `${plural(uses, 'use')} of ${plural(tokens, 'token')} from outside their residency regions (${plural(transfers, 'token-country pair')}), from ${section.from} to ${section.to} (end exclusive).`;
}

/** Where a renderer's bytes go (ReportFileWriter in production). */
export interface ReportSink {
  write(chunk: string | Buffer): Promise<void>;
}

/**
 * A report format. The generator calls begin once with every control's verdict, then control once per
 * control with its evidence as an async stream (read in keyset pages), then crossBorder once with the
 * period's transfers, then end. A renderer writes as it goes and keeps nothing but what its format needs.
 */
export interface ReportRenderer {
  /** Evidence rows per control the format shows; null for all of them. */
  readonly evidenceCap: number | null;
  begin(heading: ReportHeading, outcomes: readonly ControlOutcome[]): Promise<void>;
  control(outcome: ControlOutcome, evidence: AsyncIterable<EvidenceRow>): Promise<void>;
  crossBorder(section: CrossBorderSection): Promise<void>;
  end(): Promise<void>;
}
