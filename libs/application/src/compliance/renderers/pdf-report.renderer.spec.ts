import { FRAMEWORKS, type ControlStatus, type Framework } from '@custos/contracts';
import { ComplianceRepository } from '@custos/persistence';
import { pdfTextRuns, type PdfTextRun } from '../../testing/pdf-text';
import type { ControlOutcome } from '../compliance-evaluator';
import { controlCatalogue, controlsFor, type EvidenceRow } from '../controls';
import type { CrossBorderTransferView } from '../../usage/cross-border-query';
import { columnWidths, PDF_CROSS_BORDER_CAP, PdfReportRenderer } from './pdf-report.renderer';
import type { CrossBorderSection, ReportHeading } from './report-renderer';

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

/** `n` transfers of as many tokens, from the EU to the United States. */
function transfers(n: number): CrossBorderSection {
  const items = Array.from({ length: n }, (_, i): CrossBorderTransferView => ({
    tokenId: `tok_${String(i).padStart(22, '0')}`, tokenName: `orders ${i}`, fromRegion: 'EU', toCountry: 'US', toRegion: 'US',
    count: 3, byOutcome: { VALID: 2, GEO_BLOCKED: 1 }, firstAt: '2026-11-05T08:15:00.000Z', lastAt: '2026-11-20T17:45:00.000Z',
  }));
  return {
    from: '2026-11-03T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z', transfers: n, uses: 3 * n, tokens: n,
    items: (async function* () { yield* items; })(),
  };
}

async function rendered(framework: Framework, crossBorder = transfers(0)): Promise<{ runs: PdfTextRun[]; outcomes: ControlOutcome[] }> {
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
  await renderer.crossBorder(crossBorder);
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

describe("the PDF report's cross-border transfers", () => {
  const pageOf = (runs: readonly PdfTextRun[]): string[] => {
    const title = runs.find((r) => r.text === 'Cross-border transfers of the period');
    if (!title) throw new Error('no cross-border page');
    // Routes and times are drawn with no-break spaces.
    return runs.filter((r) => r.page >= title.page).map((r) => r.text.replace(/\u00a0/g, ' ').trim());
  };

  it('come last, as a table of token, route, uses, uses let through, first and last, capped with a count of the rest', async () => {
    const texts = pageOf((await rendered('gdpr', transfers(PDF_CROSS_BORDER_CAP + 2))).runs);
    // Lines wrap: the sentence is read across them.
    expect(texts.join(' ')).toContain(`${3 * (PDF_CROSS_BORDER_CAP + 2)} uses of ${PDF_CROSS_BORDER_CAP + 2} tokens from outside their residency regions (${PDF_CROSS_BORDER_CAP + 2} token-country pairs), from 2026-11-03T00:00:00.000Z to 2026-12-03T00:00:00.000Z (end exclusive).`);
    expect(texts).toEqual(expect.arrayContaining(['Token', 'Route', 'Uses', 'Let through', 'First (UTC)', 'Last (UTC)', 'EU to US (US)', '2026-11-05 08:15', '2026-11-20 17:45']));
    expect(texts.filter((t) => t.startsWith('orders '))).toHaveLength(PDF_CROSS_BORDER_CAP);
    expect(texts.join(' ')).toContain('tok_0000000000000000000049');
    expect(texts.join(' ')).not.toContain('tok_0000000000000000000050');
    expect(texts.at(-1)).toMatch(/ and 2 more \(all of them are in the JSON and CSV formats\)\.$/);
  });

  it('say so when there are none', async () => {
    const texts = pageOf((await rendered('soc2')).runs);
    expect(texts.join(' ')).toContain('No token was used from outside its residency region from 2026-11-03T00:00:00.000Z to 2026-12-03T00:00:00.000Z.');
    expect(texts).not.toContain('Route');
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

  it('holds text joined by no-break spaces as one word, as pdfkit wraps it', () => {
    const widths = columnWidths([{ header: 'Token', cells: ['a b c d e f g h'] }, { header: 'Route', cells: ['EU\u00a0to\u00a0US\u00a0(US)'] }], measure, 100);
    expect(widths[1]).toBeCloseTo(measure('EU\u00a0to\u00a0US\u00a0(US) ', false) + 6);
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
