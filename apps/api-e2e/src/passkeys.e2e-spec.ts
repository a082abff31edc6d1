import {
  ApiClient,
  PASSWORD,
  ageStepUps,
  auditEvents,
  loginWithPasskey,
  newAuthenticator,
  registerPasskey,
  signupTenant,
  stepUpWithPasskey,
  type PasskeyBody,
  type TestTenant,
} from '@custos/testing';

interface Problem {
  code: string;
  errors?: { field: string; message: string }[];
}

/**
 * Passkeys over HTTP, with a software authenticator signing real WebAuthn answers for the api's relying
 * party (localhost): register, list, rename; a log-in that asks for the passkey, refuses a wrong
 * signature and counts it, and completes with the right one; removal that needs a recent MFA check.
 */
describe('passkeys over HTTP', () => {
  const api = ApiClient.fromEnv();
  let tenant: TestTenant;
  beforeEach(async () => {
    tenant = await signupTenant(api, 'Passkeys');
  });

  it('registers, lists and renames a passkey; the person then has MFA in their own view and in the people list', async () => {
    const authenticator = newAuthenticator(api);
    const options = await tenant.owner.post<{ challenge: string; rp: { id: string }; excludeCredentials: unknown[] }>('/v1/me/passkeys/registration-options');
    expect([options.status, options.body.rp.id, options.body.excludeCredentials]).toEqual([200, 'localhost', []]);

    const registered = await tenant.owner.post<PasskeyBody>('/v1/me/passkeys', { name: 'Laptop', response: authenticator.register(options.body) });
    expect([registered.status, registered.body]).toEqual([201, { id: expect.stringMatching(/^pky_/), name: 'Laptop', createdAt: expect.any(String), lastUsedAt: null }]);
    // The challenge is used up: the same answer again is a 400 naming the response.
    const replay = await tenant.owner.post<Problem>('/v1/me/passkeys', { name: 'Again', response: authenticator.register(options.body) });
    expect([replay.status, replay.body.code, replay.body.errors?.map((e) => e.field)]).toEqual([400, 'VALIDATION_FAILED', ['response']]);

    const renamed = await tenant.owner.patch<PasskeyBody>(`/v1/me/passkeys/${registered.body.id}`, { name: 'Work laptop' });
    expect([renamed.status, renamed.body.name]).toEqual([200, 'Work laptop']);
    const list = await tenant.owner.get<{ items: PasskeyBody[] }>('/v1/me/passkeys');
    expect(list.body.items).toEqual([{ ...registered.body, name: 'Work laptop' }]);

    const me = await tenant.owner.get<{ user: { mfaEnabled: boolean } }>('/v1/me');
    expect(me.body.user.mfaEnabled).toBe(true);
    const people = await tenant.owner.get<{ items: { id: string; mfaEnabled: boolean }[] }>('/v1/users');
    expect(people.body.items.find((u) => u.id === tenant.ownerId)?.mfaEnabled).toBe(true);

    const events = await auditEvents(tenant.owner, 'action=mfa.enabled');
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ method: 'webauthn', name: 'Laptop', passkeyId: registered.body.id })]);
  });

  it('asks for the passkey at log-in, refuses and counts a wrong signature, and signs in with the right one', async () => {
    const authenticator = newAuthenticator(api);
    await registerPasskey(tenant.owner, authenticator, 'Laptop');

    const login = await api.anonymous().post<{ mfaRequired: boolean; mfaToken: string; methods: string[] }>('/v1/auth/login', { email: tenant.email, password: PASSWORD });
    expect([login.status, login.body.mfaRequired, login.body.methods]).toEqual([200, true, ['webauthn']]);
    expect(login.headers.getSetCookie()).toEqual([]);
    const { mfaToken } = login.body;

    const options = await api.anonymous().post<{ challenge: string; allowCredentials: { id: string }[] }>('/v1/auth/mfa/webauthn/options', { mfaToken });
    expect([options.status, options.body.allowCredentials.map((c) => c.id)]).toEqual([200, [authenticator.id]]);

    const forged = await api.anonymous().post<Problem>('/v1/auth/mfa/webauthn', { mfaToken, response: authenticator.assert(options.body, { forge: true }) });
    expect([forged.status, forged.body.code]).toEqual([401, 'INVALID_MFA']);
    expect(forged.headers.getSetCookie()).toEqual([]);
    const otherOrigin = await api.anonymous().post<Problem>('/v1/auth/mfa/webauthn', { mfaToken, response: authenticator.assert(options.body, { origin: 'https://phish.example' }) });
    expect([otherOrigin.status, otherOrigin.body.code]).toEqual([401, 'INVALID_MFA']);

    const signedIn = await api.anonymous().post<{ user: { id: string }; csrfToken: string }>('/v1/auth/mfa/webauthn', { mfaToken, response: authenticator.assert(options.body) });
    expect([signedIn.status, signedIn.body.user.id]).toEqual([200, tenant.ownerId]);
    expect(signedIn.headers.getSetCookie().join()).toMatch(/custos_session=/);
    // The mfaToken was used up with the log-in.
    const again = await api.anonymous().post<Problem>('/v1/auth/mfa/webauthn/options', { mfaToken });
    expect([again.status, again.body.code]).toEqual([401, 'INVALID_MFA']);

    const failures = await auditEvents(tenant.owner, 'action=auth.mfa_failed');
    expect(failures.map((e) => [e.data['stage'], e.data['failures']]).sort()).toEqual([['login', 1], ['login', 2]]);
    const [passkey] = (await tenant.owner.get<{ items: PasskeyBody[] }>('/v1/me/passkeys')).body.items;
    expect(passkey?.lastUsedAt).toEqual(expect.any(String));
  });

  it('removes a passkey only after a recent MFA check, which a passkey gives', async () => {
    const authenticator = newAuthenticator(api);
    const passkey = await registerPasskey(tenant.owner, authenticator, 'Laptop');
    const session = await loginWithPasskey(api, tenant.email, PASSWORD, authenticator);

    await ageStepUps(tenant.tenantId, tenant.ownerId);
    const refused = await session.delete<Problem>(`/v1/me/passkeys/${passkey.id}`);
    expect([refused.status, refused.body.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    const addRefused = await session.post<Problem>('/v1/me/passkeys/registration-options');
    expect([addRefused.status, addRefused.body.code]).toEqual([403, 'STEP_UP_REQUIRED']);

    const options = await session.post<{ challenge: string }>('/v1/auth/step-up/webauthn/options');
    const wrong = await session.post<Problem>('/v1/auth/step-up/webauthn', { response: authenticator.assert(options.body, { forge: true }) });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_MFA']);
    await stepUpWithPasskey(session, authenticator);

    expect((await session.delete(`/v1/me/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await session.get<{ items: PasskeyBody[] }>('/v1/me/passkeys')).body.items).toEqual([]);
    const actions = (await auditEvents(session)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.step_up', 'mfa.disabled']));
    // Without a passkey the password is enough again.
    const login = await api.anonymous().post<{ mfaRequired: boolean }>('/v1/auth/login', { email: tenant.email, password: PASSWORD });
    expect(login.body.mfaRequired).toBe(false);
  });

  it("keeps a person's passkeys to themselves", async () => {
    const authenticator = newAuthenticator(api);
    const passkey = await registerPasskey(tenant.owner, authenticator, 'Laptop');
    const other = await signupTenant(api, 'Other');
    expect((await other.owner.get<{ items: PasskeyBody[] }>('/v1/me/passkeys')).body.items).toEqual([]);
    expect((await other.owner.patch(`/v1/me/passkeys/${passkey.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await other.owner.delete(`/v1/me/passkeys/${passkey.id}`)).status).toBe(404);
  });
});
