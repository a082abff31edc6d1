import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { saveApiFile } from '../../../shared/api/download';
import { auditKeys } from '../../audit/api/audit.queries';

export type UsageCounts = Schemas['UsageCountsResponse'];
export type UsageBucket = Schemas['UsageBucketResponse'];
export type UsageEvent = Schemas['UsageEventResponse'];
export type TokenUsage = Schemas['TokenUsageResponse'];
export type UsageCountry = Schemas['UsageCountryResponse'];
export type Region = Schemas['RegionResponse'];
export type UsageCountsParams = QueryOf<'/v1/usage'>;
export type UsageGroupBy = NonNullable<UsageCountsParams['groupBy']>;
export type CrossBorderTransfer = Schemas['CrossBorderTransferResponse'];
/** Whose transfers, over which period, as GET /v1/cross-border and its export take them. */
export type CrossBorderParams = QueryOf<'/v1/cross-border'>;
export type CrossBorderFormat = NonNullable<QueryOf<'/v1/cross-border/export'>['format']>;
/** The events' filters, as GET /v1/usage/events takes them (without the page cursor). */
export type UsageEventsParams = Omit<QueryOf<'/v1/usage/events'>, 'cursor'>;

export const usageKeys = {
  all: ['usage'] as const,
  counts: (params: UsageCountsParams) => [...usageKeys.all, 'counts', params] as const,
  events: (params: UsageEventsParams) => [...usageKeys.all, 'events', params] as const,
  token: (id: string) => [...usageKeys.all, 'token', id] as const,
  crossBorder: (params: CrossBorderParams) => [...usageKeys.all, 'cross-border', params] as const,
  regions: () => ['regions'] as const,
};

/**
 * Nothing the dashboard does changes usage (uses come from verifies and service keys), so these keys
 * are never invalidated: they are read again when a filter changes, on focus, or on a reload.
 */
export function useUsageCounts(params: UsageCountsParams, enabled = true) {
  return useQuery({
    queryKey: usageKeys.counts(params),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/usage', { params: { query: params }, signal })),
    // A new period or filter keeps the old chart on screen until the new counts arrive.
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Newest first in keyset pages: "load more" asks for the page after the last one loaded. */
export function useUsageEvents(params: UsageEventsParams, enabled = true) {
  return useInfiniteQuery({
    queryKey: usageKeys.events(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/usage/events', { params: { query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useTokenUsage(id: string) {
  return useQuery({
    queryKey: usageKeys.token(id),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/tokens/{id}/usage', { params: { path: { id } }, signal })),
  });
}

/** Uses from outside each token's residency region over the period, per token and country (from the API's hourly rollups). */
export function useCrossBorder(params: CrossBorderParams, enabled = true) {
  return useQuery({
    queryKey: usageKeys.crossBorder(params),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/cross-border', { params: { query: params }, signal })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/**
 * Saves the API's own export of the transfers (CSV or JSON) under the name it gives. Each export is an
 * audit event (`cross_border.exported`), so the audit log is stale after it.
 */
export function useCrossBorderExport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ params, format }: { params: CrossBorderParams; format: CrossBorderFormat }) =>
      saveApiFile(api.GET('/v1/cross-border/export', { params: { query: { ...params, format } }, parseAs: 'blob' }), `custos-cross-border.${format}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: auditKeys.all }),
  });
}

/** The region groups residency and geofences name; they change rarely, so one read per visit is enough. */
export function useRegions(enabled = true) {
  return useQuery({
    queryKey: usageKeys.regions(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/regions', { signal }))).items,
    staleTime: Infinity,
    enabled,
  });
}
