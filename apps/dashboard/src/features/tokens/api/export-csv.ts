import { api, unwrap } from '../../../shared/api/client';
import type { InventoryParams, Token } from './tokens.queries';

/** An export is a snapshot for a spreadsheet, not a backup: beyond this, narrow the filters. */
export const EXPORT_MAX_ROWS = 10_000;
const EXPORT_PAGE = 200;

const COLUMNS: Array<[string, (t: Token) => string | number | null]> = [
  ['id', (t) => t.id],
  ['name', (t) => t.name],
  ['status', (t) => t.status],
  ['environment', (t) => t.environment],
  ['lookup_id', (t) => t.lookupId],
  ['scopes', (t) => t.scopes.join(' ')],
  ['owner_service_id', (t) => t.ownerServiceId],
  ['created_at', (t) => t.createdAt],
  ['created_via', (t) => t.createdVia],
  ['expires_at', (t) => t.expiresAt],
  ['last_used_at', (t) => t.lastUsedAt],
  ['last_used_country', (t) => t.lastUsedCountry],
  ['regions_seen', (t) => t.regionsSeen.join(' ')],
  ['last_cross_border_at', (t) => t.lastCrossBorderAt],
  ['use_count', (t) => t.useCount],
  ['revoked_at', (t) => t.revokedAt],
  ['revoked_reason', (t) => t.revokedReason],
];

/**
 * One CSV field (RFC 4180). A value a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: token names and revoke reasons are typed by people, and exports are opened.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(tokens: readonly Token[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const token of tokens) lines.push(COLUMNS.map(([, read]) => csvField(read(token))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Every token matching the inventory's filters, in its order, up to EXPORT_MAX_ROWS. */
export async function fetchForExport(params: InventoryParams): Promise<{ tokens: Token[]; truncated: boolean }> {
  const tokens: Token[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/v1/inventory', { params: { query: { ...params, limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) } } }));
    tokens.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && tokens.length < EXPORT_MAX_ROWS);
  return { tokens: tokens.slice(0, EXPORT_MAX_ROWS), truncated: cursor !== undefined };
}

export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
