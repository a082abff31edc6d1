import { CUSTOS_SCOPES, ROLE_SCOPES } from '@custos/contracts';
import { PASSWORD, asOwner, tenantFootprint, uniqueEmail } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { tag, fixtureOf, ids, NO_BODY, CREATES_ONLY, MEMBER, BOTH, hasSessionCookie } from './shared';

/** The accounts routes of the catalogue. */
export const ACCOUNT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/signup',
    access: { public: 'anyone may create an organisation' },
    secretFields: ['password'],
    valid: () => ({ body: { organization: `Signup ${tag()}`, email: uniqueEmail('signup'), password: PASSWORD } }),
    success: {
      status: 201,
      as: ['anonymous'],
      audit: [],
      async check(res, c) {
        const body = res.body as { user: { role: string; email: string }; tenant: { id: string }; csrfToken: string };
        expect(body.user.role).toBe('owner');
        expect(body.tenant.id).not.toBe(c.world.a.tenantId);
        hasSessionCookie(res);
        expect(await tenantFootprint(body.tenant.id)).toMatchObject({ users: 1, sessions: 1, auditEvents: 2 });
      },
    },
    invalid: {
      request: () => ({
        body: { organization: 'x'.repeat(201), email: uniqueEmail('invalid-signup'), password: 'short', plan: 'gold' },
      }),
      fields: ['organization', 'password', 'plan'],
      async nothingWritten(parts) {
        const { email } = parts.body as { email: string };
        const found = await asOwner((db) => db.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [email]));
        expect(found.rowCount).toBe(0);
      },
    },
    crossTenant: { notApplicable: 'public; it creates a new tenant and names no existing object' },
  },
  {
    method: 'POST',
    path: '/v1/auth/login',
    access: { public: 'log-in is how a session starts' },
    secretFields: ['password'],
    valid: ({ world }) => ({ body: { email: world.a.email, password: world.a.password } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['auth.login_succeeded'],
      async check(res, c) {
        expect(res.body).toMatchObject({ user: { id: c.world.a.ownerId }, tenant: { id: c.world.a.tenantId }, csrfToken: expect.any(String) });
        hasSessionCookie(res);
        expect(c.after.sessions).toBe(c.before.sessions + 1);
      },
    },
    // A's real e-mail: a refused body must not count as a failed log-in (no audit event, no session).
    invalid: { request: ({ world }) => ({ body: { email: world.a.email, password: '', remember: true } }), fields: ['password', 'remember'] },
    crossTenant: { notApplicable: 'public; the tenant follows from the e-mail' },
  },
  {
    method: 'POST',
    path: '/v1/auth/logout',
    access: { authenticated: 'any signed-in caller may end its own session' },
    text: { notApplicable: 'takes an empty body and names nothing' },
    valid: () => ({}),
    success: {
      status: 204,
      as: ['fresh-session'],
      audit: ['auth.logout'],
      async check(res, c) {
        expect(c.after.sessions).toBe(c.before.sessions - 1);
        expect(res.headers.getSetCookie().join()).toMatch(/custos_session=;/);
        expect((await c.client.get('/v1/me')).status).toBe(401);
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { notApplicable: "ends only the caller's own session" },
  },
  {
    method: 'GET',
    path: '/v1/auth/session',
    access: { public: "the dashboard's first request: who is signed in, if anyone, without a 401 before log-in" },
    valid: () => ({}),
    success: {
      status: 200,
      as: ['anonymous', 'role-session'],
      audit: [],
      check(res, c) {
        if (c.as === 'anonymous') {
          expect(res.body).toEqual({ authenticated: false, session: null });
        } else {
          expect(res.body).toMatchObject({
            authenticated: true,
            session: { user: { role: 'viewer' }, tenant: { id: c.world.a.tenantId }, csrfToken: c.client.auth.csrfToken },
          });
        }
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: "answers about the caller's own session; names no object" },
  },
  {
    method: 'GET',
    path: '/v1/me',
    access: { authenticated: 'answers about the caller itself' },
    valid: () => ({}),
    success: {
      status: 200,
      as: ['owner-key', 'role-session'],
      audit: [],
      check(res, c) {
        if (c.as === 'owner-key') {
          expect(res.body).toMatchObject({ user: null, serviceKey: { id: expect.stringMatching(/^tok_/) } });
          expect([...(res.body as { scopes: string[] }).scopes].sort()).toEqual([...CUSTOS_SCOPES].sort());
        } else {
          expect(res.body).toMatchObject({
            user: { role: 'viewer' },
            tenant: { id: c.world.a.tenantId },
            csrfToken: c.client.auth.csrfToken,
          });
        }
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: 'answers about the caller itself; names no object' },
  },
  {
    method: 'POST',
    path: '/v1/users',
    access: { scope: 'custos:users:write' },
    secretFields: ['password'],
    valid: () => ({ body: { email: uniqueEmail('member'), password: PASSWORD, role: 'viewer' } }),
    success: {
      status: 201,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['user.created'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.any(String), role: 'viewer' });
        expect(res.body).not.toHaveProperty('passwordHash');
        expect(c.after.users).toBe(c.before.users + 1);
      },
    },
    invalid: {
      request: () => ({ body: { email: 'not-an-email', password: 'short', role: 'emperor' } }),
      fields: ['email', 'password', 'role'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/users',
    access: { scope: 'custos:users:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(c.world.a.ownerId);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => c.world.a.ownerId },
  },
  {
    method: 'PATCH',
    path: '/v1/users/:id',
    access: { scope: 'custos:users:write' },
    object: MEMBER,
    valid: () => ({ body: { role: 'auditor' } }),
    success: {
      status: 200,
      as: BOTH,
      alsoHolds: [...ROLE_SCOPES.viewer, ...ROLE_SCOPES.auditor],
      audit: ['user.role_changed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, role: 'auditor' });
      },
    },
    invalid: { request: () => ({ body: { role: 'emperor', email: 'someone@example.test' } }), fields: ['role', 'email'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'DELETE',
    path: '/v1/users/:id',
    access: { scope: 'custos:users:write' },
    object: MEMBER,
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['user.removed'],
      async check(_res, c) {
        expect(c.after.users).toBe(c.before.users - 1);
        expect(ids((await c.world.aKey.get('/v1/users')).body)).not.toContain(fixtureOf(c).id);
      },
    },
    // The member stewards nothing: a successor that is no user is still refused, and nothing is removed.
    invalid: { request: () => ({ query: 'successor=usr_nobody&colour=red' }), fields: ['colour'] },
    text: { probe: () => ({ query: 'successor=usr_nobody' }) },
    crossTenant: { kind: 'object' },
  },
];
