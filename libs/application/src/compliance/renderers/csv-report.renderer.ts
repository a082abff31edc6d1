import { stringify } from 'csv-stringify/sync';
import type { ControlOutcome } from '../compliance-evaluator';
import type { EvidenceRow } from '../controls';
import type { ReportHeading, ReportRenderer, ReportSink } from './report-renderer';

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
 * without evidence gets one row with the evidence columns empty. Formula-looking cells are escaped, so
 * a token name like =HYPERLINK(…) stays text in a spreadsheet.
 */
export class CsvReportRenderer implements ReportRenderer {
  readonly evidenceCap = null;
  private framework = '';

  constructor(private readonly sink: ReportSink) {}

  async begin(heading: ReportHeading): Promise<void> {
    this.framework = heading.framework;
    await this.sink.write(stringify([[...CSV_COLUMNS]]));
  }

  async control(outcome: ControlOutcome, evidence: AsyncIterable<EvidenceRow>): Promise<void> {
    const controlCells = [this.framework, outcome.id, outcome.title, outcome.clauses.join('; '), outcome.status, outcome.summary];
    let batch: string[][] = [];
    let rows = 0;
    for await (const row of evidence) {
      rows++;
      batch.push([...controlCells, row.subject, row.detail, JSON.stringify(row.data)]);
      if (batch.length >= BATCH) {
        await this.sink.write(stringify(batch, { escape_formulas: true }));
        batch = [];
      }
    }
    if (rows === 0) batch.push([...controlCells, '', '', '']);
    if (batch.length > 0) await this.sink.write(stringify(batch, { escape_formulas: true }));
  }

  async end(): Promise<void> {
    // Nothing to close: every row was written as it came.
  }
}
