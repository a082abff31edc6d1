import { reportFileName } from '@custos/contracts';
import type { Report, ReportStatus } from './compliance.queries';

/** Statuses the worker has yet to move on from. */
const UNFINISHED: readonly ReportStatus[] = ['queued', 'running'];

function isUnfinished(report: Pick<Report, 'status'>): boolean {
  return UNFINISHED.includes(report.status);
}

/** True while the list is worth reading again: some report will still change. */
export function hasUnfinishedReport(reports: ReadonlyArray<Pick<Report, 'status'>>): boolean {
  return reports.some(isUnfinished);
}

/** The name the API's contract gives a report's file (docs/compliance.md), for when no header names it. */
export function reportFallbackName(report: Pick<Report, 'id' | 'framework' | 'from' | 'to' | 'format'>): string {
  return reportFileName(report);
}
