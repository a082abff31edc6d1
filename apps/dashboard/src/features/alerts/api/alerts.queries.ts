import type { QueryOf, Schemas } from '@custos/api-client';
import { ALERT_SEVERITIES } from '@custos/contracts';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { saveApiFile } from '../../../shared/api/download';
import { auditKeys } from '../../audit/api/audit.queries';

export type Alert = Schemas['AlertResponse'];
export type AlertEvidence = Schemas['AlertEvidenceResponse'];
export type AlertRemediation = Schemas['AlertRemediationResponse'];
export type AlertStatusChange = Schemas['AlertStatusChangeResponse'];
export type AlertRule = Alert['rule'];
export type AlertSeverity = Alert['severity'];
export type AlertStatus = Alert['status'];
/** The formats of a token's breach impact report. */
export type ImpactFormat = NonNullable<QueryOf<'/v1/tokens/{id}/impact'>['format']>;
/** The inbox's filters, as GET /v1/alerts takes them (without the page cursor). */
export type AlertListParams = Omit<QueryOf<'/v1/alerts'>, 'cursor'>;

/**
 * The most GET /v1/alerts answers in one page. The overview counts one page per severity, so a count
 * beyond it reads "200+" rather than a figure that would be wrong.
 */
export const ALERT_COUNT_CAP = 200;

export const alertKeys = {
  all: ['alerts'] as const,
  lists: () => [...alertKeys.all, 'list'] as const,
  list: (params: AlertListParams) => [...alertKeys.lists(), params] as const,
  detail: (id: string) => [...alertKeys.all, 'detail', id] as const,
  openCount: (severity: AlertSeverity) => [...alertKeys.all, 'open-count', severity] as const,
};

/** Newest first in keyset pages: "load more" asks for the page after the last one loaded. */
export function useAlerts(params: AlertListParams) {
  return useInfiniteQuery({
    queryKey: alertKeys.list(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/alerts', { params: { query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // A new filter keeps the old rows on screen until the new ones arrive, instead of a flash.
    placeholderData: keepPreviousData,
  });
}

export function useAlert(id: string) {
  return useQuery({
    queryKey: alertKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/alerts/{id}', { params: { path: { id } }, signal })),
  });
}

/** How many open alerts there are of one severity: exact up to the cap, `capped` beyond it. */
export interface OpenAlertCount {
  severity: AlertSeverity;
  count: number;
  capped: boolean;
}

/**
 * The open alerts counted per severity, one request each: one page of every severity together could be
 * filled by low alerts and leave critical ones uncounted.
 */
export function useOpenAlertCounts(enabled = true) {
  return useQueries({
    queries: ALERT_SEVERITIES.map((severity) => ({
      queryKey: alertKeys.openCount(severity),
      queryFn: async ({ signal }: { signal: AbortSignal }): Promise<OpenAlertCount> => {
        const page = await unwrap(api.GET('/v1/alerts', { params: { query: { status: 'open', severity, limit: ALERT_COUNT_CAP } }, signal }));
        return { severity, count: page.items.length, capped: page.nextCursor !== null };
      },
      enabled,
    })),
  });
}

export type AlertStatusAction = 'acknowledge' | 'resolve';

/** Acknowledging and resolving change the alert, every list and count, and write an audit event. */
export function useAlertStatusChange(action: AlertStatusAction, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (comment: string) => {
      const request = { params: { path: { id } }, body: comment ? { comment } : {} };
      return unwrap(action === 'acknowledge' ? api.POST('/v1/alerts/{id}/acknowledge', request) : api.POST('/v1/alerts/{id}/resolve', request));
    },
    onSuccess: (alert) => {
      queryClient.setQueryData(alertKeys.detail(id), alert);
      return Promise.all([queryClient.invalidateQueries({ queryKey: alertKeys.all }), queryClient.invalidateQueries({ queryKey: auditKeys.all })]);
    },
  });
}

/**
 * Saves a token's signed breach impact report (GET /v1/tokens/:id/impact) as the API sent it, and its
 * detached JWS (X-Custos-Signature) beside it as `<file>.jws`: the file alone could not be verified
 * offline.
 */
export function useImpactDownload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ tokenId, format }: { tokenId: string; format: ImpactFormat }) => {
      const call = api.GET('/v1/tokens/{id}/impact', { params: { path: { id: tokenId }, query: { format } }, parseAs: 'blob' });
      const filename = await saveApiFile(call, `custos-impact-${tokenId}.${format}`);
      const signature = (await call).response.headers.get('X-Custos-Signature');
      if (signature) saveText(`${signature}\n`, `${filename}.jws`);
      return filename;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: auditKeys.all }),
  });
}

function saveText(text: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/jose' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
