import { FRAMEWORKS, type ControlStatus, type Framework } from '@custos/contracts';
import { ComplianceRepository } from '@custos/persistence';
import { pdfTextRuns, type PdfTextRun } from '../../testing/pdf-text';
import type { ControlOutcome } from '../compliance-evaluator';
import { controlCatalogue, controlsFor, type EvidenceRow } from '../controls';
import { columnWidths, PdfReportRenderer } from './pdf-report.renderer';
import type { ReportHeading } from './report-renderer';

// The catalogue itself needs no database: its controls only read when assessed.
const CATALOGUE = controlCatalogue(new ComplianceRepository());
const STATUSES: ControlStatus[] = ['pass', 'warn', 'fail'];
const REPORT_ID = 'rpt_0VcmKq4sJbJd5mDW1TXa3o';

function outcomesOf(framework: Framework): ControlOutcome[] {
  return controlsFor(framework, CATALOGUE).map((control, i) => ({
    id: control.id,
    title: control.title,
    description: control.description,
    clauses: [...(control.mappings[framework] ?? [])],
    mappings: {},
    status: STATUSES[i % STATUSES.length]!,
    summary: 'A summary.',
    // Wide counts: the Evidence column must hold them as well as its header.
    evidenceCount: 1_234_567 + i,
    metrics: {},
  }));
}

async function* evidenceOf(outcome: ControlOutcome): AsyncIterable<EvidenceRow> {
  yield { key: '1', subject: 'tok_0VcmKq4sJbJd5mDW1TXa3q', detail: `found by ${outcome.id}`, data: {} };
}

async function rendered(framework: Framework): Promise<{ runs: PdfTextRun[]; outcomes: ControlOutcome[] }> {
  const outcomes = outcomesOf(framework);
  const chunks: Buffer[] = [];
  const renderer = new PdfReportRenderer({ write: async (chunk) => void chunks.push(Buffer.from(chunk)) });
  const heading: ReportHeading = {
    reportId: REPORT_ID,
    tenantId: 'ten_0VcmKq4sJbJd5mDW1TXa3p',
    tenantName: 'Acme',
    framework,
    frameworkName: framework.toUpperCase(),
    format: 'pdf',
    from: '2026-11-03T00:00:00.000Z',
    to: '2026-12-03T00:00:00.000Z',
    generatedAt: '2026-12-03T10:00:00.000Z',
    generatedBy: 'auditor@acme.test',
    summary: { pass: 4, warn: 4, fail: 3 },
  };
  await renderer.begin(heading, outcomes);
  for (const outcome of outcomes) await renderer.control(outcome, evidenceOf(outcome));
  await renderer.end();
  return { runs: pdfTextRuns(Buffer.concat(chunks)), outcomes };
}

/**
 * The summary table's cells as drawn: a cell's lines share its column's x, the next cell starts at
 * another. Lines of a cell join with a space, or with nothing after a hyphen (where a line may break).
 */
function summaryCells(runs: readonly PdfTextRun[]): string[] {
  const title = runs.find((r) => r.text === 'Summary');
  if (!title) throw new Error('no summary page');
  const cells: Array<{ x: number; lines: string[] }> = [];
  for (const run of runs.filter((r) => r.page === title.page && r !== title)) {
    const last = cells.at(-1);
    if (last?.x === run.x) last.lines.push(run.text.trim());
    else cells.push({ x: run.x, lines: [run.text.trim()] });
  }
  return cells.map((c) => c.lines.reduce((text, line) => (text.endsWith('-') ? text + line : `${text} ${line}`)));
}

describe('the PDF report', () => {
  it.each(FRAMEWORKS)('%s: its summary table breaks no word across lines, headers included', async (framework) => {
    const { runs, outcomes } = await rendered(framework);
    expect(summaryCells(runs)).toEqual([
      'Control',
      'Clauses',
      'Status',
      'Evidence',
      ...outcomes.flatMap((o) => [o.title, o.clauses.join(', '), o.status.toUpperCase(), String(o.evidenceCount)]),
    ]);
  });

  it('says on its cover what each verdict means and how to check its signature, pointing at no file of the repository', async () => {
    const { runs } = await rendered('soc2');
    const cover = runs.filter((r) => r.page === 0).map((r) => r.text.trim());
    const text = cover.join(' ');
    expect(text).not.toMatch(/docs\/|\.md\b/);
    for (const status of ['PASS', 'WARN', 'FAIL']) expect(cover).toContain(status);
    expect(text).toContain('The control found nothing against its rule');
    expect(text).toContain('break its rule');
    expect(cover).toContain('custos report verify <this file> --signature <signature file> --jwks <jwks.json>');
    expect(cover).toContain(`GET /v1/reports/${REPORT_ID}/signature`);
    expect(cover).toContain('GET /v1/tenants/current/jwks.json');
  });
});

describe('columnWidths', () => {
  // A width per character: the widest word decides a column's least width.
  const measure = (text: string, header: boolean): number => text.length * (header ? 6 : 5);

  it('gives every column at least its widest word and its gap, and fills the total', () => {
    const widths = columnWidths(
      [
        { header: 'Control', cells: ['a long title that wraps over several lines of the column'] },
        { header: 'Evidence', cells: ['12'] },
      ],
      measure,
      200,
    );
    expect(widths[1]).toBeGreaterThanOrEqual(measure('Evidence ', true) + 6);
    expect(widths[0]).toBeGreaterThanOrEqual(measure('several ', false) + 6);
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(200);
  });

  it('gives the room left to the columns that would wrap, not to those that fit already', () => {
    const widths = columnWidths(
      [
        { header: 'Status', cells: ['PASS'] },
        { header: 'Control', cells: ['one two three four five six seven'] },
      ],
      measure,
      200,
    );
    expect(widths[0]).toBeCloseTo(measure('Status ', true) + 6);
    expect(widths[1]).toBeCloseTo(200 - widths[0]!);
  });
});
