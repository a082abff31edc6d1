import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, type Framework, type ReportFormat } from '@custos/contracts';
import { DomainError, newId } from '@custos/domain';
import { Database } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditLog, actorOf } from '../audit/audit-log';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { checkPeriod } from './compliance-evaluator';
import { REPORT_COLUMNS, toReportView, type ReportRow, type ReportView } from './report-view';

/** Hands a queued report to the worker (the api's BullMQ producer). */
export interface ReportQueue {
  enqueue(job: { tenantId: string; reportId: string }): Promise<void>;
}
export const REPORT_QUEUE = Symbol('REPORT_QUEUE');

export interface ReportRequest {
  framework: Framework;
  from: Date;
  to: Date;
  format: ReportFormat;
}

/** A finished report's file: its facts, then its bytes part by part, each read in its own short transaction. */
export interface ReportDownload {
  report: ReportView;
  jws: string;
  parts: AsyncIterable<Buffer>;
}

type Cursor = { r: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.r === 'string' && typeof v.i === 'string';

/** Requesting, listing and downloading compliance reports; the worker's ReportGenerator writes them. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(REPORT_QUEUE) private readonly queue: ReportQueue,
  ) {}

  async request(principal: Principal, input: ReportRequest, meta: RequestMeta): Promise<ReportView> {
    requireScope(principal, 'custos:reports:write');
    checkPeriod(input);
    const id = newId('rpt');
    const view = await this.db.tenant(principal.tenantId, async (tx) => {
      const row = await tx.one<ReportRow>(
        `INSERT INTO compliance_reports (tenant_id, id, framework, period_from, period_to, format, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${REPORT_COLUMNS}`,
        [principal.tenantId, id, input.framework, input.from, input.to, input.format, principal.id],
      );
      await this.audit.record(tx, meta, {
        action: 'report.requested',
        actor: actorOf(principal),
        target: { type: 'report', id },
        data: { framework: input.framework, from: input.from.toISOString(), to: input.to.toISOString(), format: input.format },
      });
      // Queued once committed: a job never names a report that does not exist (the job id is the
      // report id, so a repeated enqueue is one job). The request is accepted either way: if Redis
      // refuses the job, the report stays queued and the worker's requeue sweep queues it later.
      tx.afterCommit(async () => {
        try {
          await this.queue.enqueue({ tenantId: principal.tenantId, reportId: id });
        } catch (error) {
          this.logger.warn({ err: error, reportId: id }, 'report job not queued; the requeue sweep will queue it');
        }
      });
      return toReportView(row!);
    });
    return view;
  }

  /** Newest first, keyset-paged. */
  async list(principal: Principal, filter: { cursor?: string | undefined; limit: number }): Promise<Page<ReportView>> {
    requireScope(principal, 'custos:reports:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      tx.rows<ReportRow & { requested_at_text: string }>(
        `SELECT ${REPORT_COLUMNS}, requested_at::text AS requested_at_text FROM compliance_reports
          ${cursor ? 'WHERE (requested_at, id) < ($1::timestamptz, $2)' : ''}
          ORDER BY requested_at DESC, id DESC LIMIT ${filter.limit + 1}`,
        cursor ? [cursor.r, cursor.i] : [],
      ),
    );
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toReportView),
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ r: last.requested_at_text, i: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ReportView> {
    requireScope(principal, 'custos:reports:read');
    return toReportView(await this.db.tenant(principal.tenantId, (tx) => findReport(tx, id)));
  }

  async signature(principal: Principal, id: string): Promise<{ report: ReportView; jws: string }> {
    requireScope(principal, 'custos:reports:read');
    const row = await this.db.tenant(principal.tenantId, (tx) => findReport(tx, id));
    return { report: toReportView(row), jws: requireDone(row) };
  }

  /** The download is on the record (report.downloaded) before a byte is sent. */
  async download(principal: Principal, id: string, meta: RequestMeta): Promise<ReportDownload> {
    requireScope(principal, 'custos:reports:read');
    const row = await this.db.tenant(principal.tenantId, async (tx) => {
      const found = await findReport(tx, id);
      requireDone(found);
      await this.audit.record(tx, meta, {
        action: 'report.downloaded',
        actor: actorOf(principal),
        target: { type: 'report', id },
        data: { format: found.format, sha256: found.sha256 },
      });
      return found;
    });
    return { report: toReportView(row), jws: row.jws!, parts: this.parts(principal.tenantId, id) };
  }

  private async *parts(tenantId: string, reportId: string): AsyncGenerator<Buffer> {
    for (let part = 0; ; part++) {
      const row = await this.db.tenant(tenantId, (tx) =>
        tx.one<{ data: Buffer }>(`SELECT data FROM compliance_report_parts WHERE report_id = $1 AND part = $2`, [reportId, part]),
      );
      if (!row) return;
      yield row.data;
    }
  }
}

async function findReport(tx: { one<T>(sql: string, params?: unknown[]): Promise<T | undefined> }, id: string): Promise<ReportRow> {
  const row = await tx.one<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM compliance_reports WHERE id = $1`, [id]);
  if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'No such report.');
  return row;
}

function requireDone(row: ReportRow): string {
  if (row.status !== 'done' || !row.jws) {
    throw new DomainError(ErrorCode.CONFLICT, row.status === 'failed' ? 'The report failed; request a new one.' : `The report is ${row.status}; it can be downloaded once done.`);
  }
  return row.jws;
}
