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
export function useStoreSession() {
  const queryClient = useQueryClient();
  return (session: Session) => {
    rememberCsrfToken(session.csrfToken);
    // Another person's data must never show in this session's pages.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.all[0] });
    queryClient.setQueryData(sessionKeys.me(), session);
  };
}

/** What a log-in whose password was right asks for next: a second factor, within five minutes. */
export interface MfaChallenge {
  mfaToken: string;
  methods: Array<NonNullable<Schemas['LoginResponse']['methods']>[number]>;
  expiresAt: string;
}

/** A log-in's outcome: signed in, or a second factor owed. */
export type LoginOutcome = { session: Session } | { mfa: MfaChallenge };

/**
 * Reads POST /v1/auth/login's answer: the API documents one flat shape, the session's fields when
 * `mfaRequired` is false and the challenge's when it is true.
 */
export function loginOutcomeOf(answer: Schemas['LoginResponse']): LoginOutcome {
  if (answer.mfaRequired) {
    if (!answer.mfaToken) throw new Error('a log-in that needs MFA came without its mfaToken');
    return { mfa: { mfaToken: answer.mfaToken, methods: answer.methods ?? ['totp', 'recovery_code'], expiresAt: answer.expiresAt ?? '' } };
  }
  const { user, tenant, csrfToken, scopes, restriction } = answer;
  if (!user || !tenant || !csrfToken || !scopes) throw new Error('a log-in answered neither a session nor a challenge');
  return { session: { user, tenant, csrfToken, scopes, restriction: restriction ?? null } };
}

export function useLogin() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: async (body: Schemas['LoginDto']) => loginOutcomeOf(await unwrap(api.POST('/v1/auth/login', { body }))),
    onSuccess: (outcome) => {
      if ('session' in outcome) store(outcome.session);
    },
  });
}

/** The second step of a log-in: the mfaToken and a TOTP or recovery code (POST /v1/auth/mfa). */
export function useCompleteMfa() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: Schemas['MfaLoginDto']) => unwrap(api.POST('/v1/auth/mfa', { body })),
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
