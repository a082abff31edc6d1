import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type AuditEvent = Schemas['AuditEventResponse'];
export type ChainVerdict = Schemas['ChainVerdictResponse'];
export type AuditParams = Omit<QueryOf<'/v1/audit-events'>, 'cursor'>;

export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (params: AuditParams) => [...auditKeys.lists(), params] as const,
  recent: (limit: number) => [...auditKeys.all, 'recent', limit] as const,
};

export function useAuditEvents(params: AuditParams) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/audit-events', { params: { query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useRecentAuditEvents(limit: number, enabled: boolean) {
  return useQuery({
    queryKey: auditKeys.recent(limit),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/audit-events', { params: { query: { limit } }, signal }))).items,
    enabled,
  });
}

/** A check, not a read: the verdict is for the moment it was asked, so it is a mutation, never cached. */
export function useVerifyChain() {
  return useMutation({ mutationFn: () => unwrap(api.GET('/v1/audit-events/verify')) });
}
