import { Injectable } from '@nestjs/common';
import type { ControlStatus, Framework, ReportFormat } from '@custos/contracts';
import type { Tx } from '../database/database';
import { limitOf } from '../database/sql-limit';
import { REPORT_COLUMNS, reportOf, type ReportRow, type StoredReport } from './report-rows';

export interface NewReport {
  id: string;
  /** Null for a campaign's report, which names its campaign instead. */
  framework: Framework | null;
  campaignId?: string | undefined;
  from: Date;
  to: Date;
  format: ReportFormat;
  requestedBy: string;
}

/** A finished report's facts, stored with it in the generating transaction. */
export interface FinishedReport {
  sizeBytes: number;
  sha256: string;
  jws: string;
  kid: string;
  summary: Record<ControlStatus, number>;
}

/** A page position of the newest-first list: requested_at as Postgres prints it (microseconds kept). */
export interface ReportCursor {
  requestedAt: string;
  id: string;
}


/**
 * SQL of compliance reports and their stored files. Every method runs in the caller's tenant
 * transaction, row-level security scoping it, but staleQueued (a system transaction, across tenants).
 */
@Injectable()
export class ReportRepository {
  async insert(tx: Tx, report: NewReport): Promise<StoredReport> {
    const row = await tx.one<ReportRow>(
      `INSERT INTO compliance_reports (tenant_id, id, framework, campaign_id, period_from, period_to, format, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${REPORT_COLUMNS}`,
      [tx.tenantId, report.id, report.framework, report.campaignId ?? null, report.from, report.to, report.format, report.requestedBy],
    );
    return reportOf(row!);
  }

  async find(tx: Tx, id: string): Promise<StoredReport | undefined> {
    const row = await tx.one<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM compliance_reports WHERE id = $1`, [id]);
    return row && reportOf(row);
  }

  /** Newest first, after `before` when given, at most `limit`; each with its position for the next page. */
  async newestFirst(tx: Tx, before: ReportCursor | null, limit: number): Promise<Array<{ report: StoredReport; cursor: ReportCursor }>> {
    const rows = await tx.rows<ReportRow & { requested_at_text: string }>(
      `SELECT ${REPORT_COLUMNS}, requested_at::text AS requested_at_text FROM compliance_reports
        ${before ? 'WHERE (requested_at, id) < ($1::timestamptz, $2)' : ''}
        ORDER BY requested_at DESC, id DESC LIMIT ${limitOf(limit)}`,
      before ? [before.requestedAt, before.id] : [],
    );
    return rows.map((row) => ({ report: reportOf(row), cursor: { requestedAt: row.requested_at_text, id: row.id } }));
  }

  /** Part `part` (from 0) of a report's file; undefined past its last. */
  async part(tx: Tx, reportId: string, part: number): Promise<Buffer | undefined> {
    const row = await tx.one<{ data: Buffer }>(`SELECT data FROM compliance_report_parts WHERE report_id = $1 AND part = $2`, [reportId, part]);
    return row?.data;
  }

  async insertPart(tx: Tx, reportId: string, part: number, data: Buffer): Promise<void> {
    await tx.rows(`INSERT INTO compliance_report_parts (tenant_id, report_id, part, data) VALUES ($1, $2, $3, $4)`, [
      tx.tenantId,
      reportId,
      part,
      data,
    ]);
  }

  /** Marks a queued (or interrupted) report running; false when it is neither (done, failed, or no such report). */
  async markRunning(tx: Tx, id: string): Promise<boolean> {
    const started = await tx.affected(
      `UPDATE compliance_reports SET status = 'running', started_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    return started > 0;
  }

  /** The running report, locked; undefined when another transaction holds it (SKIP LOCKED) or it is not running. */
  async lockRunning(tx: Tx, id: string): Promise<StoredReport | undefined> {
    const row = await tx.one<ReportRow>(
      `SELECT ${REPORT_COLUMNS} FROM compliance_reports WHERE id = $1 AND status = 'running' FOR UPDATE SKIP LOCKED`,
      [id],
    );
    return row && reportOf(row);
  }

  async markDone(tx: Tx, id: string, done: FinishedReport): Promise<void> {
    await tx.rows(
      `UPDATE compliance_reports SET status = 'done', finished_at = now(), size_bytes = $2, sha256 = $3, jws = $4, kid = $5, summary = $6
        WHERE id = $1`,
      [id, done.sizeBytes, done.sha256, done.jws, done.kid, JSON.stringify(done.summary)],
    );
  }

  async markFailed(tx: Tx, id: string, error: string): Promise<void> {
    await tx.rows(`UPDATE compliance_reports SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`, [id, error]);
  }

  /** The name of the transaction's tenant, for the report's title page. */
  async tenantName(tx: Tx): Promise<string | undefined> {
    return (await tx.one<{ name: string }>(`SELECT name FROM tenants`))?.name;
  }

  /** Reports of any tenant still queued `olderThanSeconds` after their request (a system transaction). */
  async staleQueued(tx: Tx, olderThanSeconds: number, limit: number): Promise<Array<{ tenantId: string; reportId: string }>> {
    const rows = await tx.rows<{ tenant_id: string; id: string }>(`SELECT tenant_id, id FROM custos_stale_queued_reports($1, $2)`, [
      olderThanSeconds,
      limit,
    ]);
    return rows.map((r) => ({ tenantId: r.tenant_id, reportId: r.id }));
  }
}
