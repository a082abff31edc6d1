import { Injectable } from '@nestjs/common';
import { Database } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditLog, actorOf } from '../audit/audit-log';
import { csvCell, csvLines } from '../shared/csv';
import { CrossBorderQuery, type CrossBorderQueryInput, type CrossBorderTransferView } from './cross-border-query';
import { startOfHour } from './usage-query';

export const CROSS_BORDER_EXPORT_FORMATS = ['csv', 'json'] as const;
export type CrossBorderExportFormat = (typeof CROSS_BORDER_EXPORT_FORMATS)[number];

/** The columns of the CSV export: GET /v1/cross-border's items, byOutcome as JSON. */
export const CROSS_BORDER_EXPORT_COLUMNS = [
  'tokenId', 'tokenName', 'fromRegion', 'toCountry', 'toRegion', 'count', 'byOutcome', 'firstAt', 'lastAt',
] as const satisfies ReadonlyArray<keyof CrossBorderTransferView>;

export interface CrossBorderExportFile {
  /** The start of the first hour counted, and the end of the period (exclusive). */
  from: string;
  to: string;
  chunks: AsyncIterable<string>;
}

/**
 * GET /v1/cross-border/export: the transfers GET /v1/cross-border lists, as a CSV or JSON file for an
 * auditor (GDPR Chapter V evidence). Read in keyset pages, each in its own short transaction, and
 * written as they come. Audited (cross_border.exported) with the format, period and filters.
 */
@Injectable()
export class CrossBorderExport {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly transfers: CrossBorderQuery,
  ) {}

  async export(principal: Principal, query: CrossBorderQueryInput, format: CrossBorderExportFormat, meta: RequestMeta, now = new Date()): Promise<CrossBorderExportFile> {
    const period = this.transfers.period(principal, query, now);
    const from = startOfHour(period.from).toISOString();
    const to = period.to.toISOString();
    const filter = { ...(query.tokenId !== undefined ? { tokenId: query.tokenId } : {}), ...(query.serviceId !== undefined ? { serviceId: query.serviceId } : {}) };
    await this.db.tenant(principal.tenantId, (tx) =>
      this.audit.record(tx, meta, { action: 'cross_border.exported', actor: actorOf(principal), data: { format, from, to, filter } }),
    );
    const pages = this.transfers.pages(principal, query, period);
    return { from, to, chunks: format === 'csv' ? csv(pages) : json(pages, from, to) };
  }
}

async function* csv(pages: AsyncIterable<CrossBorderTransferView[]>): AsyncGenerator<string> {
  yield csvLines([CROSS_BORDER_EXPORT_COLUMNS]);
  for await (const page of pages) yield csvLines(page.map((t) => CROSS_BORDER_EXPORT_COLUMNS.map((c) => csvCell(t[c]))));
}

/** The document GET /v1/cross-border answers, written a page at a time. */
async function* json(pages: AsyncIterable<CrossBorderTransferView[]>, from: string, to: string): AsyncGenerator<string> {
  let first = true;
  yield `{"from":${JSON.stringify(from)},"to":${JSON.stringify(to)},"items":[`;
  for await (const page of pages) {
    const body = page.map((t) => `\n${JSON.stringify(t)}`).join(',');
    yield first ? body : `,${body}`;
    first = false;
  }
  yield '\n]}\n';
}
