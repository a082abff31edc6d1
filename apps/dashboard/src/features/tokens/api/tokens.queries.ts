import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type Token = Schemas['TokenResponse'];
export type TokenStatus = Token['status'];
export type IssueTokenRequest = Schemas['IssueTokenDto'];
export type IssuedToken = Schemas['IssuedTokenResponse'];
export type PatchTokenRequest = Schemas['PatchTokenDto'];
/** The inventory's filters and sort, as GET /v1/inventory takes them (without the page cursor). */
export type InventoryParams = Omit<QueryOf<'/v1/inventory'>, 'cursor'>;

export const tokenKeys = {
  all: ['tokens'] as const,
  inventories: () => [...tokenKeys.all, 'inventory'] as const,
  inventory: (params: InventoryParams) => [...tokenKeys.inventories(), params] as const,
  details: () => [...tokenKeys.all, 'detail'] as const,
  detail: (id: string) => [...tokenKeys.details(), id] as const,
  lineage: (id: string) => [...tokenKeys.detail(id), 'lineage'] as const,
  /** A picker's matches for what was typed (a name or lookup id prefix). */
  search: (q: string) => [...tokenKeys.all, 'search', q] as const,
  /** The tenant's overview, or with a service id that service's (its page). */
  overview: (ownerServiceId: string | null = null) => [...tokenKeys.all, 'overview', { ownerServiceId }] as const,
};

/** Keyset pages: "load more" asks for the page after the last one loaded. */
export function useInventory(params: InventoryParams) {
  return useInfiniteQuery({
    queryKey: tokenKeys.inventory(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/inventory', { params: { query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Changing a filter keeps the old rows on screen until the new ones arrive, instead of a flash.
    placeholderData: keepPreviousData,
  });
}

export function useToken(id: string, enabled = true) {
  return useQuery({
    queryKey: tokenKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/tokens/{id}', { params: { path: { id } }, signal })),
    enabled,
  });
}

/** The first tokens whose name or lookup id starts with `q` (any, newest first, when empty), for a picker. */
export function useTokenSearch(q: string, limit = 20) {
  return useQuery({
    queryKey: tokenKeys.search(q),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/tokens', { params: { query: { limit, ...(q ? { q } : {}) } }, signal }))).items,
    placeholderData: keepPreviousData,
  });
}

export function useLineage(id: string) {
  return useQuery({
    queryKey: tokenKeys.lineage(id),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/tokens/{id}/lineage', { params: { path: { id } }, signal }))).items,
  });
}

/**
 * After any change to tokens: every inventory page, the overview and the changed tokens' details are
 * stale (a status filter may now include or exclude them), and so is the audit trail. Consents list
 * their bound tokens, so their views are stale too.
 */
function useInvalidateTokens() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['audit'] }),
      queryClient.invalidateQueries({ queryKey: ['consents'] }),
      queryClient.invalidateQueries({ queryKey: ['subjects'] }),
    ]);
  };
}

export function useIssueToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (body: IssueTokenRequest) => unwrap(api.POST('/v1/tokens', { body })),
    onSuccess: invalidate,
  });
}

export function useEditToken(id: string) {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (body: PatchTokenRequest) => unwrap(api.PATCH('/v1/tokens/{id}', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

export function useRevokeToken(id: string) {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (reason: string) => unwrap(api.POST('/v1/tokens/{id}/revoke', { params: { path: { id } }, body: { reason } })),
    onSuccess: invalidate,
  });
}

export function useBulkRevoke() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (body: { ids: string[]; reason: string }) => unwrap(api.POST('/v1/tokens/revoke', { body })),
    onSuccess: invalidate,
  });
}

export function useSuspendToken(id: string) {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST('/v1/tokens/{id}/suspend', { params: { path: { id } }, body: reason ? { reason } : {} })),
    onSuccess: invalidate,
  });
}

export function useResumeToken(id: string) {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/tokens/{id}/resume', { params: { path: { id } }, body: {} })),
    onSuccess: invalidate,
  });
}

export function useRotateToken(id: string) {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (gracePeriodSeconds: number | undefined) =>
      unwrap(
        api.POST('/v1/tokens/{id}/rotate', {
          params: { path: { id } },
          body: gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds },
        }),
      ),
    onSuccess: invalidate,
  });
}
