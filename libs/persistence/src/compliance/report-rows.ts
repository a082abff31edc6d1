import type { ControlStatus, Framework, ReportFormat, ReportStatus } from '@custos/contracts';

/** A compliance report as stored, without its file (compliance_report_parts). */
export interface StoredReport {
  id: string;
  /** Null for an access review campaign's report. */
  framework: Framework | null;
  /** The access review campaign the report is of, if it is one. */
  campaignId: string | null;
  periodFrom: Date;
  periodTo: Date;
  format: ReportFormat;
  status: ReportStatus;
  requestedBy: string;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  sizeBytes: number | null;
  sha256: string | null;
  /** Detached JWS over the file's SHA-256, once done. */
  jws: string | null;
  kid: string | null;
  summary: Record<ControlStatus, number> | null;
  error: string | null;
}

export interface ReportRow {
  id: string;
  framework: Framework | null;
  campaign_id: string | null;
  period_from: Date;
  period_to: Date;
  format: ReportFormat;
  status: ReportStatus;
  requested_by: string;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  size_bytes: string | null;
  sha256: string | null;
  jws: string | null;
  kid: string | null;
  summary: Record<ControlStatus, number> | null;
  error: string | null;
}

export const REPORT_COLUMNS =
  'id, framework, campaign_id, period_from, period_to, format, status, requested_by, requested_at, started_at, finished_at, size_bytes, sha256, jws, kid, summary, error';

export function reportOf(row: ReportRow): StoredReport {
  return {
    id: row.id,
    framework: row.framework,
    campaignId: row.campaign_id,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    format: row.format,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    jws: row.jws,
    kid: row.kid,
    summary: row.summary,
    error: row.error,
  };
}
