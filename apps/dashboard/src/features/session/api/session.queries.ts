import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, rememberCsrfToken, unwrap } from '../../../shared/api/client';

export type Session = Schemas['SessionResponse'];
export type Role = Schemas['UserResponse']['role'];

export const sessionKeys = {
  all: ['session'] as const,
  me: () => [...sessionKeys.all, 'me'] as const,
};

/**
 * The signed-in session, or null when there is none. GET /v1/auth/session answers 200 either way, so
 * a first visit logs no failed request in the browser's console.
 */
async function fetchMe(signal: AbortSignal): Promise<Session | null> {
  const { session } = await unwrap(api.GET('/v1/auth/session', { signal }));
  rememberCsrfToken(session?.csrfToken);
  return session;
}

export function useMe() {
  return useQuery({ queryKey: sessionKeys.me(), queryFn: ({ signal }) => fetchMe(signal), staleTime: 60_000 });
}

/** The session of a page inside the signed-in layout, which renders nothing until it has one. */
export function useSession(): Session {
  const me = useMe();
  if (!me.data) throw new Error('useSession outside the signed-in layout');
  return me.data;
}

/** Log-in and sign-up answer the session itself: keep it, so the next page needs no extra request. */
function useStoreSession() {
  const queryClient = useQueryClient();
  return (session: Session) => {
    rememberCsrfToken(session.csrfToken);
    // Another person's data must never show in this session's pages.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.all[0] });
    queryClient.setQueryData(sessionKeys.me(), session);
  };
}

export function useLogin() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: Schemas['LoginDto']) => unwrap(api.POST('/v1/auth/login', { body })),
    onSuccess: store,
  });
}

export function useSignup() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: Schemas['SignupDto']) => unwrap(api.POST('/v1/signup', { body })),
    onSuccess: store,
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/auth/logout', { body: {} })),
    // Settled, not only on success: a session that had already ended (401) is just as gone.
    onSettled: () => {
      rememberCsrfToken(undefined);
      queryClient.clear();
      queryClient.setQueryData(sessionKeys.me(), null);
    },
  });
}
