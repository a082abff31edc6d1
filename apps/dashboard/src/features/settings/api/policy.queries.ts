import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { auditKeys } from '../../audit/api/audit.queries';
import { usageKeys } from '../../usage/api/usage.queries';

export type Policy = Schemas['PolicyResponse'];
export type PolicyRequest = Schemas['PolicyDto'];
export type GeoPolicy = Schemas['GeoPolicyResponse'];
export type GeoRule = Schemas['GeoPolicyRuleDto'];
export type RegionGroup = Schemas['RegionGroupDto'];

export const policyKeys = {
  all: ['policy'] as const,
  current: () => [...policyKeys.all, 'current'] as const,
};

export function usePolicy(enabled = true) {
  return useQuery({ queryKey: policyKeys.current(), queryFn: ({ signal }) => unwrap(api.GET('/v1/policy', { signal })), enabled });
}

export function useReplacePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PolicyRequest) => unwrap(api.PUT('/v1/policy', { body })),
    onSuccess: (policy) => {
      queryClient.setQueryData(policyKeys.current(), policy);
      // The tenant's own region groups are listed with the built-in ones, which are read once a visit.
      return Promise.all([queryClient.invalidateQueries({ queryKey: auditKeys.all }), queryClient.invalidateQueries({ queryKey: usageKeys.regions() })]);
    },
  });
}
