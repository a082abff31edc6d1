import { SoftwareAuthenticator } from '@custos/fixtures/webauthn';
import { sessionCookieOf, type ApiClient } from './api-client';
import { asOwner } from './database-probe';

export { SoftwareAuthenticator } from '@custos/fixtures/webauthn';

export interface PasskeyBody {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * The origin a test api's passkeys are bound to: with CUSTOS_WEBAUTHN_ORIGIN unset it is
 * http://localhost:<PORT> (relying party `localhost`), whatever address the test reaches it at.
 */
export function passkeyOriginOf(api: ApiClient): string {
  return `http://localhost:${new URL(api.baseUrl).port}`;
}

/** A software authenticator for the test api's relying party. */
export function newAuthenticator(api: ApiClient): SoftwareAuthenticator {
  return new SoftwareAuthenticator(passkeyOriginOf(api));
}

/** Registers a passkey of `authenticator` for the signed-in person, over HTTP. */
export async function registerPasskey(client: ApiClient, authenticator: SoftwareAuthenticator, name = 'Test key'): Promise<PasskeyBody> {
  const options = await client.post<{ challenge: string }>('/v1/me/passkeys/registration-options');
  if (options.status !== 200) throw new Error(`registration options failed: ${options.status} ${JSON.stringify(options.body)}`);
  const res = await client.post<PasskeyBody>('/v1/me/passkeys', { name, response: authenticator.register(options.body) });
  if (res.status !== 201) throw new Error(`passkey registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Logs in with a password and a passkey as the second factor, over HTTP. */
export async function loginWithPasskey(api: ApiClient, email: string, password: string, authenticator: SoftwareAuthenticator): Promise<ApiClient> {
  const login = await api.anonymous().post<{ mfaToken: string }>('/v1/auth/login', { email, password });
  if (login.status !== 200 || !login.body.mfaToken) throw new Error(`login did not ask for a second factor: ${login.status} ${JSON.stringify(login.body)}`);
  const options = await api.anonymous().post<{ challenge: string }>('/v1/auth/mfa/webauthn/options', { mfaToken: login.body.mfaToken });
  const res = await api
    .anonymous()
    .post<{ csrfToken: string }>('/v1/auth/mfa/webauthn', { mfaToken: login.body.mfaToken, response: authenticator.assert(options.body) });
  if (res.status !== 200) throw new Error(`passkey log-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return api.withAuth({ cookie: sessionCookieOf(res.headers), csrfToken: res.body.csrfToken });
}

/** Renews the session's MFA check with the passkey, over HTTP. */
export async function stepUpWithPasskey(client: ApiClient, authenticator: SoftwareAuthenticator): Promise<void> {
  const options = await client.post<{ challenge: string }>('/v1/auth/step-up/webauthn/options');
  const res = await client.post('/v1/auth/step-up/webauthn', { response: authenticator.assert(options.body) });
  if (res.status !== 200) throw new Error(`step-up failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Makes the MFA checks of a person's sessions a day old, as if the step-up window had passed. */
export async function ageStepUps(tenantId: string, userId: string): Promise<void> {
  await asOwner((db) => db.query(`UPDATE sessions SET mfa_at = now() - interval '1 day' WHERE tenant_id = $1 AND user_id = $2 AND mfa_at IS NOT NULL`, [tenantId, userId]));
}
