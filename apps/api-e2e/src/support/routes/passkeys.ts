import { PASSWORD, newAuthenticator, registerPasskey, type PasskeyBody } from '@custos/testing';
import type { Fixture, RouteSpec, World } from './route-spec';
import { fixtureOf, hasSessionCookie, NO_BODY } from './shared';

const OWN_ACCOUNT = "acts on the caller's own passkeys; names no object of a tenant";

/** A new viewer of A, signed in (client), with a passkey (id: the passkey's) and its authenticator kept for assertions. */
async function personWithPasskey(w: World) {
  const person = await w.newPerson('none');
  const authenticator = newAuthenticator(w.api);
  const passkey = await registerPasskey(person.client!, authenticator, 'Fixture key');
  return { person: { ...person, id: passkey.id }, authenticator };
}

const PASSKEY: RouteSpec['object'] = { kind: 'user', make: async (w) => (await personWithPasskey(w)).person };

/** A person ready to register a passkey: the registration options were asked for, and the answer made. */
const REGISTRATION: RouteSpec['object'] = {
  kind: 'user',
  async make(w): Promise<Fixture> {
    const person = await w.newPerson('none');
    const options = await person.client!.post<{ challenge: string }>('/v1/me/passkeys/registration-options');
    return { ...person, webauthn: newAuthenticator(w.api).register(options.body) };
  },
};

/** A log-in of a person with a passkey waiting for its second factor (secret: its mfaToken). */
async function passkeyLogin(w: World) {
  const { person, authenticator } = await personWithPasskey(w);
  const login = await w.api.anonymous().post<{ mfaToken: string }>('/v1/auth/login', { email: person.name, password: PASSWORD });
  return { person: { ...person, secret: login.body.mfaToken }, authenticator };
}

const invalidResponse = {
  request: () => ({ body: { response: { id: 'x', rawId: 'x', type: 'password', response: { clientDataJSON: '!' }, clientExtensionResults: {} }, colour: 'red' } }),
  fields: ['response.type', 'response.response.clientDataJSON', 'response.response.signature', 'colour'],
};

/** A person's passkeys (WebAuthn), and passkeys as the second factor of a log-in and for step-up. */
export const PASSKEY_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/me/passkeys/registration-options',
    access: { authenticated: 'a person registers their own passkey' },
    object: { kind: 'user', make: (w) => w.newPerson('none') },
    valid: () => ({}),
    text: { notApplicable: 'takes no body and names nothing' },
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ challenge: expect.any(String), rp: { id: 'localhost' }, user: { name: fixtureOf(c).name }, excludeCredentials: [] });
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'POST',
    path: '/v1/me/passkeys',
    access: { authenticated: 'a person registers their own passkey' },
    object: REGISTRATION,
    valid: ({ fixture }) => ({ body: { name: 'Work laptop', response: fixture?.webauthn } }),
    success: {
      status: 201,
      as: ['fixture-session'],
      audit: ['mfa.enabled'],
      async check(res, c) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^pky_/), name: 'Work laptop', lastUsedAt: null });
        expect(c.after.webauthnCredentials).toBe(c.before.webauthnCredentials + 1);
        expect((await c.client.get<{ user: { mfaEnabled: boolean } }>('/v1/me')).body.user.mfaEnabled).toBe(true);
      },
    },
    invalid: { request: () => ({ body: { name: '', response: { id: 'x' }, colour: 'red' } }), fields: ['name', 'response.rawId', 'response.type', 'colour'] },
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'GET',
    path: '/v1/me/passkeys',
    access: { authenticated: "lists the caller's own passkeys" },
    valid: () => ({}),
    success: {
      status: 200,
      as: ['role-session'],
      audit: [],
      check(res) {
        expect((res.body as { items: PasskeyBody[] }).items).toEqual(expect.any(Array));
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'PATCH',
    path: '/v1/me/passkeys/:id',
    access: { authenticated: "renames one of the caller's own passkeys" },
    object: PASSKEY,
    valid: () => ({ body: { name: 'Renamed key' } }),
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: ['mfa.passkey_renamed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, name: 'Renamed key' });
        expect(c.after.webauthnCredentialNames).not.toBe(c.before.webauthnCredentialNames);
      },
    },
    invalid: { request: () => ({ body: { name: 'x'.repeat(101), colour: 'red' } }), fields: ['name', 'colour'] },
    // A's passkey id sent by B's key: keys have no passkeys.
    crossTenant: { kind: 'object', outcome: { status: 403, code: 'FORBIDDEN' } },
  },
  {
    method: 'DELETE',
    path: '/v1/me/passkeys/:id',
    access: { authenticated: "removes one of the caller's own passkeys (with a recent MFA check)" },
    object: PASSKEY,
    valid: () => ({}),
    success: {
      status: 204,
      as: ['fixture-session'],
      audit: ['mfa.disabled'],
      check(_res, c) {
        expect(c.after.webauthnCredentials).toBe(c.before.webauthnCredentials - 1);
      },
    },
    invalid: { notApplicable: 'takes no body and no query; an unknown id answers 404' },
    crossTenant: { kind: 'object', outcome: { status: 403, code: 'FORBIDDEN' } },
  },
  {
    method: 'POST',
    path: '/v1/auth/mfa/webauthn/options',
    access: { public: "a log-in's second step; the mfaToken stands for the password already checked" },
    secretFields: ['mfaToken'],
    object: { kind: 'user', make: async (w) => (await passkeyLogin(w)).person },
    valid: (c) => ({ body: { mfaToken: fixtureOf(c).secret } }),
    text: { notApplicable: 'takes only the mfaToken, a secret field' },
    success: {
      status: 200,
      as: ['anonymous'],
      audit: [],
      check(res) {
        expect(res.body).toMatchObject({ challenge: expect.any(String), allowCredentials: [expect.objectContaining({ type: 'public-key' })] });
      },
    },
    invalid: { request: () => ({ body: { mfaToken: '', remember: true } }), fields: ['mfaToken', 'remember'] },
    crossTenant: { notApplicable: 'public; the tenant follows from the mfaToken' },
  },
  {
    method: 'POST',
    path: '/v1/auth/mfa/webauthn',
    access: { public: 'completes a log-in; the mfaToken stands for the password already checked' },
    secretFields: ['mfaToken'],
    object: {
      kind: 'user',
      async make(w) {
        const { person, authenticator } = await passkeyLogin(w);
        const options = await w.api.anonymous().post<{ challenge: string }>('/v1/auth/mfa/webauthn/options', { mfaToken: person.secret });
        return { ...person, webauthn: authenticator.assert(options.body) };
      },
    },
    valid: (c) => ({ body: { mfaToken: fixtureOf(c).secret, response: fixtureOf(c).webauthn } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['auth.login_succeeded'],
      check(res, c) {
        expect(res.body).toMatchObject({ user: { email: fixtureOf(c).name }, csrfToken: expect.any(String), restriction: null });
        hasSessionCookie(res);
        expect(c.after.sessions).toBe(c.before.sessions + 1);
      },
    },
    invalid: { request: () => ({ body: { mfaToken: '', response: { id: 'x' }, remember: true } }), fields: ['mfaToken', 'response.rawId', 'response.type', 'remember'] },
    crossTenant: { notApplicable: 'public; the tenant follows from the mfaToken' },
  },
  {
    method: 'POST',
    path: '/v1/auth/step-up/webauthn/options',
    access: { authenticated: "renews the caller's own MFA check" },
    object: PASSKEY,
    valid: () => ({}),
    text: { notApplicable: 'takes no body and names nothing' },
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: [],
      check(res) {
        expect(res.body).toMatchObject({ challenge: expect.any(String), allowCredentials: [expect.objectContaining({ type: 'public-key' })] });
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'POST',
    path: '/v1/auth/step-up/webauthn',
    access: { authenticated: "renews the caller's own MFA check" },
    object: {
      kind: 'user',
      async make(w) {
        const { person, authenticator } = await personWithPasskey(w);
        const options = await person.client!.post<{ challenge: string }>('/v1/auth/step-up/webauthn/options');
        return { ...person, webauthn: authenticator.assert(options.body) };
      },
    },
    valid: ({ fixture }) => ({ body: { response: fixture?.webauthn } }),
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: ['auth.step_up'],
      check(res) {
        expect(Date.parse((res.body as { stepUpUntil: string }).stepUpUntil)).toBeGreaterThan(Date.now());
      },
    },
    invalid: invalidResponse,
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
];
