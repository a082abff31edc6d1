import { ROLE_SCOPES } from '@custos/contracts';
import { PASSWORD, login } from '@custos/testing';
import type { Fixture, RequestContext, RouteSpec, World } from './route-spec';
import { fixtureOf, hasSessionCookie, BOTH, NO_BODY } from './shared';

const OWN_ACCOUNT = "acts on the caller's own account; names no object of a tenant";
const CODE_ONLY = 'takes only a one-time code, which is a secret field';

/**
 * A one-time code from the fixture's authenticator app, read just before a success case sends it; the
 * failure cases, refused before any code is looked at, send one that is never right.
 */
function codeOf(c: RequestContext): string {
  return c.code ?? '000000';
}

const personWith = (totp: 'none' | 'pending' | 'on') => ({ kind: 'user' as const, make: (w: World) => w.newPerson(totp) });

/** The person's other session: `id` is its id, `client` the session that ends it. */
async function personWithTwoSessions(w: World): Promise<Fixture> {
  const person = await w.newPerson('none');
  await login(w.api, person.name!, PASSWORD);
  const sessions = await person.client!.get<{ items: Array<{ id: string; current: boolean }> }>('/v1/me/sessions');
  return { ...person, id: sessions.body.items.find((s) => !s.current)!.id };
}

/** What every route that takes only a one-time code of the caller's own second factor declares alike. */
const TAKES_A_CODE = {
  secretFields: ['code'],
  valid: (c: RequestContext) => ({ body: { code: codeOf(c) } }),
  text: { notApplicable: CODE_ONLY },
  invalid: { request: () => ({ body: { code: '12', colour: 'red' } }), fields: ['code', 'colour'] },
  crossTenant: { notApplicable: OWN_ACCOUNT },
} satisfies Partial<RouteSpec>;

/** A person's own second factors and sessions, step-up, and the log-in's second step. */
export const SECURITY_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/auth/mfa',
    access: { public: 'completes a log-in; the mfaToken stands for the password already checked' },
    secretFields: ['mfaToken', 'code'],
    object: {
      kind: 'user',
      async make(w) {
        const person = await w.newPerson('on');
        const res = await w.api.anonymous().post<{ mfaToken: string }>('/v1/auth/login', { email: person.name, password: PASSWORD });
        return { ...person, secret: res.body.mfaToken };
      },
    },
    valid: (c) => ({ body: { mfaToken: fixtureOf(c).secret, code: codeOf(c) } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['auth.login_succeeded'],
      check(res, c) {
        expect(res.body).toMatchObject({ user: { id: fixtureOf(c).id }, csrfToken: expect.any(String), restriction: null });
        hasSessionCookie(res);
        expect(c.after.sessions).toBe(c.before.sessions + 1);
      },
    },
    invalid: { request: () => ({ body: { mfaToken: '', code: '1', remember: true } }), fields: ['mfaToken', 'code', 'remember'] },
    text: { notApplicable: 'takes only the mfaToken and a one-time code, both secret fields' },
    crossTenant: { notApplicable: 'public; the tenant follows from the mfaToken' },
  },
  {
    method: 'GET',
    path: '/v1/me/mfa',
    access: { authenticated: "answers about the caller's own second factors" },
    valid: () => ({}),
    success: {
      status: 200,
      as: ['role-session'],
      audit: [],
      check(res) {
        expect(res.body).toEqual({ totp: { enabled: false, enabledAt: null, pending: expect.any(Boolean) }, recoveryCodesLeft: 0 });
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'POST',
    path: '/v1/me/mfa/totp',
    access: { authenticated: 'a person enrols their own second factor' },
    object: personWith('none'),
    valid: () => ({ body: {} }),
    text: { notApplicable: 'takes an empty body and names nothing' },
    success: {
      status: 201,
      as: ['fixture-session'],
      audit: ['mfa.enrolment_started'],
      check(res) {
        const body = res.body as { secret: string; otpauthUri: string };
        expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
        expect(new URL(body.otpauthUri).searchParams.get('secret')).toBe(body.secret);
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'POST',
    path: '/v1/me/mfa/totp/confirm',
    access: { authenticated: 'a person confirms their own enrolment' },
    object: personWith('pending'),
    ...TAKES_A_CODE,
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: ['mfa.enabled'],
      async check(res, c) {
        expect((res.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
        expect((await c.client.get('/v1/me/mfa')).body).toMatchObject({ totp: { enabled: true }, recoveryCodesLeft: 10 });
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/me/mfa/totp/remove',
    access: { authenticated: 'a person turns off their own second factor' },
    object: personWith('on'),
    ...TAKES_A_CODE,
    success: {
      status: 204,
      as: ['fixture-session'],
      audit: ['mfa.disabled'],
      async check(_res, c) {
        expect((await c.client.get('/v1/me/mfa')).body).toMatchObject({ totp: { enabled: false }, recoveryCodesLeft: 0 });
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/me/mfa/recovery-codes',
    access: { authenticated: 'a person replaces their own recovery codes' },
    object: personWith('on'),
    ...TAKES_A_CODE,
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: ['mfa.recovery_codes_regenerated'],
      check(res) {
        expect((res.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/auth/step-up',
    access: { authenticated: "renews the caller's own MFA check" },
    object: personWith('on'),
    ...TAKES_A_CODE,
    success: {
      status: 200,
      as: ['fixture-session'],
      audit: ['auth.step_up'],
      check(res) {
        expect(Date.parse((res.body as { stepUpUntil: string }).stepUpUntil)).toBeGreaterThan(Date.now());
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/me/sessions',
    access: { authenticated: "lists the caller's own sessions" },
    valid: () => ({}),
    success: {
      status: 200,
      as: ['role-session'],
      audit: [],
      check(res) {
        const items = (res.body as { items: Array<{ current: boolean }> }).items;
        expect(items.filter((s) => s.current)).toHaveLength(1);
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'DELETE',
    path: '/v1/me/sessions/:id',
    access: { authenticated: "ends one of the caller's own sessions" },
    object: { kind: 'user', make: personWithTwoSessions },
    valid: () => ({}),
    success: {
      status: 204,
      as: ['fixture-session'],
      audit: ['auth.session_revoked'],
      async check(_res, c) {
        expect(c.after.sessions).toBe(c.before.sessions - 1);
        expect((await c.client.get('/v1/me')).status).toBe(200);
      },
    },
    invalid: { notApplicable: 'takes no body and no query; an unknown id answers 404' },
    // A's session id sent by B's key: keys have no sessions to end.
    crossTenant: { kind: 'object', outcome: { status: 403, code: 'FORBIDDEN' } },
  },
  {
    method: 'DELETE',
    path: '/v1/me/sessions',
    access: { authenticated: "ends the caller's own other sessions" },
    object: { kind: 'user', make: personWithTwoSessions },
    valid: () => ({}),
    success: {
      status: 204,
      as: ['fixture-session'],
      audit: ['auth.session_revoked'],
      async check(_res, c) {
        expect(c.after.sessions).toBe(c.before.sessions - 1);
        expect((await c.client.get<{ items: unknown[] }>('/v1/me/sessions')).body.items).toHaveLength(1);
      },
    },
    invalid: { notApplicable: 'takes no body and no query' },
    crossTenant: { notApplicable: OWN_ACCOUNT },
  },
  {
    method: 'DELETE',
    path: '/v1/users/:id/sessions',
    access: { scope: 'custos:users:write' },
    object: personWith('none'),
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['auth.session_revoked'],
      async check(_res, c) {
        expect(c.after.sessions).toBe(c.before.sessions - 1);
        expect((await fixtureOf(c).client!.get('/v1/me')).status).toBe(401);
      },
    },
    invalid: { notApplicable: 'takes no body and no query' },
    crossTenant: { kind: 'object' },
  },
];
