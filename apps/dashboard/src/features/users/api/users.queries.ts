import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type User = Schemas['UserResponse'];
export type Role = User['role'];

export const userKeys = {
  all: ['users'] as const,
  list: () => [...userKeys.all, 'list'] as const,
};

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: userKeys.list(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/users', { signal }))).items,
    enabled,
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: userKeys.all }), queryClient.invalidateQueries({ queryKey: ['audit'] })]);
}

export function useChangeRole() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body: { role } })),
    onSuccess: invalidate,
  });
}

export function useRemoveUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/users/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** An owner or admin ends every session of a person (DELETE /v1/users/:id/sessions): signed out everywhere at once. */
export function useEndUserSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/users/{id}/sessions', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['audit'] }),
  });
}
