import type { Schemas } from '@custos/api-client';
import {
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { auditKeys } from '../../audit/api/audit.queries';
import { sessionKeys, type Session } from '../../session/api/session.queries';

export type Passkey = Schemas['PasskeyResponse'];

export const passkeyKeys = {
  all: ['passkeys'] as const,
  list: () => [...passkeyKeys.all, 'list'] as const,
};

// The API documents WebAuthn's JSON shapes loosely (their nested parts as objects); these are the same
// objects @simplewebauthn/server made and @simplewebauthn/browser reads and answers.
const creationOptions = (o: Schemas['PasskeyCreationOptionsResponse']) => o as unknown as PublicKeyCredentialCreationOptionsJSON;
const requestOptions = (o: Schemas['PasskeyRequestOptionsResponse']) => o as unknown as PublicKeyCredentialRequestOptionsJSON;

/** The person's passkeys, oldest first (GET /v1/me/passkeys). */
export function usePasskeys() {
  return useQuery({ queryKey: passkeyKeys.list(), queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/me/passkeys', { signal }))).items });
}

/** After a passkey change: the list, the session (`user.mfaEnabled`, a lifted restriction) and the audit trail. */
function useAfterPasskeyChange() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: passkeyKeys.all }),
      queryClient.invalidateQueries({ queryKey: sessionKeys.me() }),
      queryClient.invalidateQueries({ queryKey: auditKeys.all }),
    ]);
}

/**
 * Registers a passkey: the API's options, the browser's authenticator (which asks the person to touch
 * it or unlock the device), then the answer back to the API under the given name.
 */
export async function registerPasskey(name: string): Promise<Passkey> {
  const options = await unwrap(api.POST('/v1/me/passkeys/registration-options'));
  const response = await startRegistration({ optionsJSON: creationOptions(options) });
  return unwrap(api.POST('/v1/me/passkeys', { body: { name, response: response as unknown as Schemas['RegistrationResponseDto'] } }));
}

export function useRegisterPasskey(register: (name: string) => Promise<Passkey> = registerPasskey) {
  const after = useAfterPasskeyChange();
  return useMutation({ mutationFn: (name: string) => register(name), onSuccess: after });
}

export function useRenamePasskey() {
  const after = useAfterPasskeyChange();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => unwrap(api.PATCH('/v1/me/passkeys/{id}', { params: { path: { id } }, body: { name } })),
    onSuccess: after,
  });
}

export function useRemovePasskey() {
  const after = useAfterPasskeyChange();
  return useMutation({ mutationFn: (id: string) => unwrap(api.DELETE('/v1/me/passkeys/{id}', { params: { path: { id } } })), onSuccess: after });
}

/** The second step of a log-in with a passkey: the log-in's options, the authenticator, the session. */
export async function signInWithPasskey(mfaToken: string): Promise<Session> {
  const options = await unwrap(api.POST('/v1/auth/mfa/webauthn/options', { body: { mfaToken } }));
  const response = await startAuthentication({ optionsJSON: requestOptions(options) });
  return unwrap(api.POST('/v1/auth/mfa/webauthn', { body: { mfaToken, response: response as unknown as Schemas['AuthenticationResponseDto'] } }));
}

/** Renews the session's MFA check with a passkey (the step-up dialog's other way). */
export async function stepUpWithPasskey(): Promise<void> {
  const options = await unwrap(api.POST('/v1/auth/step-up/webauthn/options'));
  const response = await startAuthentication({ optionsJSON: requestOptions(options) });
  await unwrap(api.POST('/v1/auth/step-up/webauthn', { body: { response: response as unknown as Schemas['AuthenticationResponseDto'] } }));
}

/** The browser's refusal (the person cancelled, the prompt timed out, no authenticator): not an API problem. */
export function browserRefusal(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  if (error.name === 'NotAllowedError' || /not allowed|cancel|timed out/i.test(error.message)) {
    return 'The passkey was not used: the prompt was cancelled or timed out. Try again.';
  }
  if (error.name === 'InvalidStateError') return 'This authenticator holds one of your passkeys already.';
  if (error.name === 'NotSupportedError' || /does not support WebAuthn/i.test(error.message)) return 'This browser cannot use passkeys.';
  return null;
}
