import { stringify } from 'csv-stringify/sync';

/**
 * Rows as CSV lines (csv-stringify: cells quoted where they hold a comma, a quote or a line break). Cells
 * a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) are escaped, so that a
 * token name like =HYPERLINK(…) stays text: every CSV Custos hands out is written through here.
 */
export function csvLines(rows: ReadonlyArray<readonly string[]>): string {
  return stringify(rows.map((row) => [...row]), { escape_formulas: true });
}

/** A view's value as one cell: empty for null, a list space-separated, an object as JSON. */
export function csvCell(value: string | number | boolean | null | readonly unknown[] | object): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
