import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchMe, login, logout, signup } from './session.api';

export const sessionKeys = {
  all: ['session'] as const,
  me: () => [...sessionKeys.all, 'me'] as const,
};

export function useMe() {
  return useQuery({
    queryKey: sessionKeys.me(),
    queryFn: ({ signal }) => fetchMe(signal),
  });
}

/** Each mutation waits for `me` to be read again, so the page never shows a stale session. */
function useInvalidateMe() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: sessionKeys.me() });
}

export function useLogin() {
  const invalidateMe = useInvalidateMe();
  return useMutation({ mutationFn: login, onSuccess: invalidateMe });
}

export function useSignup() {
  const invalidateMe = useInvalidateMe();
  return useMutation({ mutationFn: signup, onSuccess: invalidateMe });
}

export function useLogout() {
  const invalidateMe = useInvalidateMe();
  // Settled, not only on success: if the session had already ended (401), the page should say so.
  return useMutation({ mutationFn: logout, onSettled: invalidateMe });
}
