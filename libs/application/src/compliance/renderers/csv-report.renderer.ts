import { csvLines } from '../../shared/csv';
import { routeOf } from '../../usage/cross-border-query';
import type { ControlOutcome } from '../compliance-evaluator';
import type { EvidenceRow } from '../controls';
import { plural } from '../controls/findings-control';
import { CROSS_BORDER_SECTION, crossBorderSentence, type CrossBorderSection, type ReportHeading, type ReportRenderer, type ReportSink } from './report-renderer';

export const CSV_COLUMNS = [
  'framework',
  'control_id',
  'control_title',
  'clauses',
  'control_status',
  'control_summary',
  'evidence_subject',
  'evidence_detail',
  'evidence_data',
] as const;

/** Rows are stringified in batches as they are read; a batch is the most held in memory. */
const BATCH = 500;

/**
 * One row per evidence row, repeating its control's columns (what a spreadsheet filters on); a control
 * without evidence gets one row with the evidence columns empty. The cross-border transfers of the
 * period follow in the same columns, under control_id cross-border-summary with no clauses or status:
 * one row per token and country. Formula-looking cells are escaped, so a token name like
 * =HYPERLINK(…) stays text in a spreadsheet.
 */
export class CsvReportRenderer implements ReportRenderer {
  readonly evidenceCap = null;
  private framework = '';

  constructor(private readonly sink: ReportSink) {}

  async begin(heading: ReportHeading): Promise<void> {
    this.framework = heading.framework ?? 'access_review';
    await this.sink.write(csvLines([CSV_COLUMNS]));
  }

  async control(outcome: ControlOutcome, evidence: AsyncIterable<EvidenceRow>): Promise<void> {
    const controlCells = [this.framework, outcome.id, outcome.title, outcome.clauses.join('; '), outcome.status, outcome.summary];
    await this.writeRows(controlCells, evidence, (row) => [row.subject, row.detail, JSON.stringify(row.data)]);
  }

  async crossBorder(section: CrossBorderSection): Promise<void> {
    const sectionCells = [this.framework, CROSS_BORDER_SECTION.id, CROSS_BORDER_SECTION.title, '', '', crossBorderSentence(section)];
    await this.writeRows(sectionCells, section.items, ({ tokenId, ...transfer }) => [
      tokenId,
      `${routeOf(transfer)}: ${plural(transfer.count, 'use')}`,
      JSON.stringify(transfer),
    ]);
  }

  async end(): Promise<void> {
    // Nothing to close: every row was written as it came.
  }

  /** The leading cells with each item's three evidence cells, in batches; one row with them empty when there is no item. */
  private async writeRows<T>(leading: readonly string[], items: AsyncIterable<T>, cells: (item: T) => string[]): Promise<void> {
    let batch: string[][] = [];
    let rows = 0;
    for await (const item of items) {
      rows++;
      batch.push([...leading, ...cells(item)]);
      if (batch.length >= BATCH) {
        await this.sink.write(csvLines(batch));
        batch = [];
      }
    }
    if (rows === 0) batch.push([...leading, '', '', '']);
    if (batch.length > 0) await this.sink.write(csvLines(batch));
  }
}
