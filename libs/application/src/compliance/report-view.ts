import type { ControlStatus, Framework, ReportFormat, ReportStatus } from '@custos/contracts';
import type { StoredReport } from '@custos/persistence';
import type { Actors, ActorView } from '../accounts/actors';

/** A report as the API shows it: never its file (that is the download). */
export interface ReportView {
  id: string;
  /** Null for an access review campaign's report. */
  framework: Framework | null;
  /** The access review campaign the report is of, if it is one. */
  campaignId: string | null;
  from: string;
  to: string;
  format: ReportFormat;
  status: ReportStatus;
  requestedBy: string;
  /** Who `requestedBy` names: a person's e-mail, a service key's name. */
  requestedByActor: ActorView | null;
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

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toReportView(report: StoredReport, actors: Actors): ReportView {
  return {
    id: report.id,
    framework: report.framework,
    campaignId: report.campaignId,
    from: report.periodFrom.toISOString(),
    to: report.periodTo.toISOString(),
    format: report.format,
    status: report.status,
    requestedBy: report.requestedBy,
    requestedByActor: actors.of(report.requestedBy),
    requestedAt: report.requestedAt.toISOString(),
    startedAt: iso(report.startedAt),
    finishedAt: iso(report.finishedAt),
    sizeBytes: report.sizeBytes,
    sha256: report.sha256,
    kid: report.kid,
    summary: report.summary,
    error: report.error,
  };
}

export { reportFileName } from '@custos/contracts';
