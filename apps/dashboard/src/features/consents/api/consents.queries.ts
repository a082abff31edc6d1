import type { QueryOf, Schemas } from '@custos/api-client';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { tokenKeys } from '../../tokens/api/tokens.queries';

export type Consent = Schemas['ConsentResponse'];
export type ConsentDetail = Schemas['ConsentDetailResponse'];
export type ConsentVersion = Schemas['ConsentVersionResponse'];
export type BoundToken = Schemas['BoundTokenResponse'];
export type ConsentStatus = Consent['status'];
export type LawfulBasis = Consent['lawfulBasis'];
export type CreateConsentRequest = Schemas['CreateConsentDto'];
export type ConsentWithdrawal = Schemas['WithdrawalResponse'];

/** The timeline's filters as GET /v1/consents takes them (without the page cursor). */
export type ConsentListParams = Omit<QueryOf<'/v1/consents'>, 'cursor'>;

export const consentKeys = {
  all: ['consents'] as const,
  lists: () => [...consentKeys.all, 'list'] as const,
  list: (params: ConsentListParams) => [...consentKeys.lists(), params] as const,
  details: () => [...consentKeys.all, 'detail'] as const,
  detail: (id: string) => [...consentKeys.details(), id] as const,
};

/** Keyset pages, newest validFrom first: "load more" follows nextCursor. */
export function useConsents(params: ConsentListParams, enabled = true) {
  return useInfiniteQuery({
    queryKey: consentKeys.list(params),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/v1/consents', { params: { query: { ...params, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useConsent(id: string | null, enabled = true) {
  return useQuery({
    queryKey: consentKeys.detail(id ?? ''),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/consents/{id}', { params: { path: { id: id ?? '' } }, signal })),
    enabled: enabled && id !== null && id !== '',
  });
}

/**
 * A consent change shows on the timeline, in subject reports and in the audit log; a withdrawal also
 * revokes the tokens bound to it, so every token view is stale too.
 */
function useInvalidateConsents() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: consentKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['subjects'] }),
      queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['audit'] }),
    ]);
  };
}

export function useCreateConsent() {
  const invalidate = useInvalidateConsents();
  return useMutation({
    mutationFn: (body: CreateConsentRequest) => unwrap(api.POST('/v1/consents', { body })),
    onSuccess: invalidate,
  });
}

export function useWithdrawConsent(id: string) {
  const invalidate = useInvalidateConsents();
  return useMutation({
    mutationFn: (reason: string) => unwrap(api.POST('/v1/consents/{id}/withdraw', { params: { path: { id } }, body: reason ? { reason } : {} })),
    onSuccess: invalidate,
  });
}

export function useRenewConsent(id: string) {
  const invalidate = useInvalidateConsents();
  return useMutation({
    mutationFn: (validUntil: string) => unwrap(api.POST('/v1/consents/{id}/renew', { params: { path: { id } }, body: { validUntil } })),
    onSuccess: invalidate,
  });
}
