import type { Schemas } from '@custos/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { sessionKeys } from './session.queries';

/** Changes the signed-in person's password; the session then answers without its restriction. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['ChangePasswordDto']) => unwrap(api.POST('/v1/me/password', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}
