import type { ControlStatus, Framework, ReportFormat, ReportStatus } from '@custos/contracts';

/** A report as the API shows it: never its file (that is the download). */
export interface ReportView {
  id: string;
  framework: Framework;
  from: string;
  to: string;
  format: ReportFormat;
  status: ReportStatus;
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  /** The signing key's id in the tenant's JWKS. */
  kid: string | null;
  summary: Record<ControlStatus, number> | null;
  error: string | null;
}

export interface ReportRow {
  id: string;
  framework: Framework;
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
  'id, framework, period_from, period_to, format, status, requested_by, requested_at, started_at, finished_at, size_bytes, sha256, jws, kid, summary, error';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toReportView(row: ReportRow): ReportView {
  return {
    id: row.id,
    framework: row.framework,
    from: row.period_from.toISOString(),
    to: row.period_to.toISOString(),
    format: row.format,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    kid: row.kid,
    summary: row.summary,
    error: row.error,
  };
}

/** The download's file name: what, for which period, and which report. */
export function reportFileName(view: Pick<ReportView, 'id' | 'framework' | 'from' | 'to' | 'format'>): string {
  return `custos-${view.framework}-${view.from.slice(0, 10)}-${view.to.slice(0, 10)}-${view.id}.${view.format}`;
}
