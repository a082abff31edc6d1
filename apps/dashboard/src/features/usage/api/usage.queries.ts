import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type UsageCounts = Schemas['UsageCountsResponse'];
export type UsageBucket = Schemas['UsageBucketResponse'];
export type UsageEvent = Schemas['UsageEventResponse'];
export type TokenUsage = Schemas['TokenUsageResponse'];
export type UsageCountry = Schemas['UsageCountryResponse'];
export type Region = Schemas['RegionResponse'];
export type UsageCountsParams = QueryOf<'/v1/usage'>;
export type UsageGroupBy = NonNullable<UsageCountsParams['groupBy']>;
/** The events' filters, as GET /v1/usage/events takes them (without the page cursor). */
export type UsageEventsParams = Omit<QueryOf<'/v1/usage/events'>, 'cursor'>;

export const usageKeys = {
  all: ['usage'] as const,
  counts: (params: UsageCountsParams) => [...usageKeys.all, 'counts', params] as const,
  events: (params: UsageEventsParams) => [...usageKeys.all, 'events', params] as const,
  token: (id: string) => [...usageKeys.all, 'token', id] as const,
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

/** The region groups residency and geofences name; they change rarely, so one read per visit is enough. */
export function useRegions(enabled = true) {
  return useQuery({
    queryKey: usageKeys.regions(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/regions', { signal }))).items,
    staleTime: Infinity,
    enabled,
  });
}
