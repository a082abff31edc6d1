import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type Service = Schemas['ServiceResponse'];
export type CreateServiceRequest = Schemas['CreateServiceDto'];
export type UpdateServiceRequest = Schemas['UpdateServiceDto'];

export const serviceKeys = {
  all: ['services'] as const,
  list: () => [...serviceKeys.all, 'list'] as const,
  detail: (id: string) => [...serviceKeys.all, 'detail', id] as const,
};

export function useServices(enabled = true) {
  return useQuery({
    queryKey: serviceKeys.list(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/services', { signal }))).items,
    enabled,
  });
}

export function useService(id: string) {
  return useQuery({
    queryKey: serviceKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/services/{id}', { params: { path: { id } }, signal })),
  });
}

export function useCreateService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateServiceRequest) => unwrap(api.POST('/v1/services', { body })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: serviceKeys.all }), queryClient.invalidateQueries({ queryKey: ['audit'] })]),
  });
}

export function useUpdateService() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateServiceRequest }) =>
      unwrap(api.PATCH('/v1/services/{id}', { params: { path: { id } }, body })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: serviceKeys.all }), queryClient.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
