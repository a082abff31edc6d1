import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { saveApiFile } from '../../../shared/api/download';
import { auditKeys } from '../../audit/api/audit.queries';
import type { Period } from '../../../shared/period/day-period';
import { hasUnfinishedReport, reportFallbackName } from './reports';

export type ControlTable = Schemas['ControlTableResponse'];
export type ControlOutcome = Schemas['ControlOutcomeResponse'];
export type EvidenceRow = Schemas['EvidenceRowResponse'];
export type ControlStatus = ControlOutcome['status'];
export type Report = Schemas['ReportResponse'];
export type ReportStatus = Report['status'];
export type ReportFormat = Report['format'];
export type ReportRequest = Schemas['RequestReportDto'];
export type ControlTableParams = QueryOf<'/v1/compliance/controls'>;

/** Evidence rows shown per control; the reports carry every row. */
export const EVIDENCE_LIMIT = 20;
const REPORT_PAGE_SIZE = 20;
/** How often the list is read again while the worker has a report queued or running. */
const REPORT_POLL_MS = 2_000;

export const complianceKeys = {
  all: ['compliance'] as const,
  controls: (params: ControlTableParams) => [...complianceKeys.all, 'controls', params] as const,
};

export const reportKeys = {
  all: ['reports'] as const,
  list: () => [...reportKeys.all, 'list'] as const,
};

/** Evaluated by the API on every request: the table is the tenant's state now. */
export function useControlTable(params: ControlTableParams) {
  return useQuery({
    queryKey: complianceKeys.controls(params),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/compliance/controls', { params: { query: params }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** Newest first in keyset pages; read again every few seconds while a report is still being made. */
export function useReports() {
  return useInfiniteQuery({
    queryKey: reportKeys.list(),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/reports', { params: { query: { limit: REPORT_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (hasUnfinishedReport(query.state.data?.pages.flatMap((p) => p.items) ?? []) ? REPORT_POLL_MS : false),
  });
}

/** Requesting, downloading and exporting are audit events, so the audit log is stale after each. */
function useInvalidateAudit() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: auditKeys.all });
}

export function useRequestReport() {
  const queryClient = useQueryClient();
  const invalidateAudit = useInvalidateAudit();
  return useMutation({
    mutationFn: (body: ReportRequest) => unwrap(api.POST('/v1/reports', { body })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: reportKeys.all }), invalidateAudit()]),
  });
}

export function useReportDownload() {
  const invalidateAudit = useInvalidateAudit();
  return useMutation({
    mutationFn: (report: Report) =>
      saveApiFile(api.GET('/v1/reports/{id}/download', { params: { path: { id: report.id } }, parseAs: 'blob' }), reportFallbackName(report)),
    onSuccess: invalidateAudit,
  });
}

export function useAuditBundleExport() {
  const invalidateAudit = useInvalidateAudit();
  return useMutation({
    mutationFn: (period: Period) => saveApiFile(api.GET('/v1/audit-events/export', { params: { query: period }, parseAs: 'blob' }), 'custos-audit.jsonl'),
    onSuccess: invalidateAudit,
  });
}
