import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { auditKeys } from '../../audit/api/audit.queries';

export type SsoOverview = Schemas['SsoOverviewResponse'];
export type SsoConfig = Schemas['SsoConfigResponse'];
export type SsoTest = Schemas['SsoTestResponse'];
export type SsoRequest = Schemas['SsoConfigDto'];

export const ssoKeys = {
  all: ['sso'] as const,
  current: () => [...ssoKeys.all, 'current'] as const,
};

export function useSso(enabled = true) {
  return useQuery({ queryKey: ssoKeys.current(), queryFn: ({ signal }) => unwrap(api.GET('/v1/sso', { signal })), enabled });
}

export function useSaveSso() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SsoRequest) => unwrap(api.PUT('/v1/sso', { body })),
    onSuccess: (overview) => {
      queryClient.setQueryData(ssoKeys.current(), overview);
      return queryClient.invalidateQueries({ queryKey: auditKeys.all });
    },
  });
}

export function useRemoveSso() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/sso')),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ssoKeys.all }), queryClient.invalidateQueries({ queryKey: auditKeys.all })]),
  });
}

/** Where a test sign-in starts: the browser leaves the dashboard for the IdP and comes back to Settings. */
export const ssoTestUrl = (tenantSlug: string): string => `/v1/auth/sso/${encodeURIComponent(tenantSlug)}/start?test=true`;
