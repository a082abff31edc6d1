import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type Policy = Schemas['PolicyResponse'];
export type PolicyRequest = Schemas['PolicyDto'];

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
      return queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
