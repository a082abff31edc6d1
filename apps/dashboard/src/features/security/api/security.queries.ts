import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { auditKeys } from '../../audit/api/audit.queries';
import { sessionKeys } from '../../session/api/session.queries';

export type MfaStatus = Schemas['MfaStatusResponse'];
/** POST /v1/me/mfa/totp: the secret of an enrolment not yet confirmed. */
export type TotpEnrolment = Schemas['TotpEnrolmentResponse'];
/** POST /v1/me/mfa/totp/confirm and /v1/me/mfa/recovery-codes: shown once. */
export type RecoveryCodes = Schemas['RecoveryCodesResponse'];
/** An item of GET /v1/me/sessions. */
export type SignedInSession = Schemas['SessionItemResponse'];
export type StepUp = Schemas['StepUpResponse'];

export const securityKeys = {
  all: ['security'] as const,
  mfa: () => [...securityKeys.all, 'mfa'] as const,
  sessions: () => [...securityKeys.all, 'sessions'] as const,
};

export function useMfaStatus() {
  return useQuery({ queryKey: securityKeys.mfa(), queryFn: ({ signal }) => unwrap(api.GET('/v1/me/mfa', { signal })) });
}

export function useSignedInSessions() {
  return useQuery({
    queryKey: securityKeys.sessions(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/me/sessions', { signal }))).items,
  });
}

/** After an MFA change: its status, the session (`user.mfaEnabled`, a lifted restriction) and the audit trail. */
function useAfterMfaChange() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: securityKeys.mfa() }),
      queryClient.invalidateQueries({ queryKey: sessionKeys.me() }),
      queryClient.invalidateQueries({ queryKey: auditKeys.all }),
    ]);
}

export function useStartTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/me/mfa/totp', { body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKeys.mfa() }),
  });
}

/**
 * Confirms the enrolment. The session is not refetched here: a restricted session would leave the
 * enrolment screen before the person saw the recovery codes. `useFinishEnrolment` does it once they say
 * they saved them.
 */
export function useConfirmTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/v1/me/mfa/totp/confirm', { body: { code } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: securityKeys.mfa() }),
  });
}

/** The recovery codes were put away: the session (now with MFA, its restriction lifted) is read again. */
export function useFinishEnrolment() {
  return useAfterMfaChange();
}

export function useRemoveTotp() {
  const after = useAfterMfaChange();
  return useMutation({ mutationFn: (code: string) => unwrap(api.POST('/v1/me/mfa/totp/remove', { body: { code } })), onSuccess: after });
}

export function useRegenerateRecoveryCodes() {
  const after = useAfterMfaChange();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.POST('/v1/me/mfa/recovery-codes', { body: { code } })),
    onSuccess: after,
  });
}

function useAfterSessionsChange() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: securityKeys.sessions() }), queryClient.invalidateQueries({ queryKey: auditKeys.all })]);
}

export function useEndSession() {
  const after = useAfterSessionsChange();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/me/sessions/{id}', { params: { path: { id } } })),
    onSuccess: after,
  });
}

export function useEndOtherSessions() {
  const after = useAfterSessionsChange();
  return useMutation({ mutationFn: () => unwrap(api.DELETE('/v1/me/sessions')), onSuccess: after });
}

/** POST /v1/auth/step-up: renews the session's MFA check. */
export function stepUp(code: string): Promise<StepUp> {
  return unwrap(api.POST('/v1/auth/step-up', { body: { code } }));
}
