import { REPORT_JSON_SCHEMA_ID } from '@custos/contracts';
import type { ControlOutcome } from '../compliance-evaluator';
import type { EvidenceRow } from '../controls';
import type { CrossBorderSection, ReportHeading, ReportRenderer, ReportSink } from './report-renderer';

export const JSON_REPORT_FORMAT = 'custos.compliance-report.v1';

/**
 * The JSON format (docs/compliance-report.schema.json), written piece by piece: every evidence row of
 * every control and every cross-border transfer, one line each, never the whole document in memory.
 */
export class JsonReportRenderer implements ReportRenderer {
  readonly evidenceCap = null;
  private controlsWritten = 0;
  /** The controls' array is closed by the cross-border section that follows it. */
  private controlsClosed = false;

  constructor(private readonly sink: ReportSink) {}

  async begin(heading: ReportHeading): Promise<void> {
    const { summary, ...report } = heading;
    await this.sink.write(
      `{"$schema":${JSON.stringify(REPORT_JSON_SCHEMA_ID)},"format":${JSON.stringify(JSON_REPORT_FORMAT)},` +
        `"report":${JSON.stringify(report)},"summary":${JSON.stringify(summary)},"controls":[`,
    );
  }

  async control(outcome: ControlOutcome, evidence: AsyncIterable<EvidenceRow>): Promise<void> {
    const head = {
      id: outcome.id,
      title: outcome.title,
      description: outcome.description,
      clauses: outcome.clauses,
      status: outcome.status,
      summary: outcome.summary,
      metrics: outcome.metrics,
      evidenceCount: outcome.evidenceCount,
    };
    const opening = JSON.stringify(head).slice(0, -1);
    await this.sink.write(`${this.controlsWritten++ > 0 ? ',' : ''}\n${opening},"evidence":[`);
    let rows = 0;
    for await (const row of evidence) {
      await this.sink.write(`${rows++ > 0 ? ',' : ''}\n${JSON.stringify({ subject: row.subject, detail: row.detail, data: row.data })}`);
    }
    await this.sink.write(']}');
  }

  async crossBorder(section: CrossBorderSection): Promise<void> {
    const { items, ...totals } = section;
    const opening = JSON.stringify(totals).slice(0, -1);
    await this.sink.write(`\n],"crossBorder":${opening},"items":[`);
    let rows = 0;
    for await (const item of items) await this.sink.write(`${rows++ > 0 ? ',' : ''}\n${JSON.stringify(item)}`);
    await this.sink.write(']}');
    this.controlsClosed = true;
  }

  async end(): Promise<void> {
    await this.sink.write(this.controlsClosed ? '\n}\n' : '\n]}\n');
  }
}
