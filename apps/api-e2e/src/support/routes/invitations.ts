import { ROLE_SCOPES } from '@custos/contracts';
import { PASSWORD, uniqueEmail } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { BOTH, CREATES_ONLY, NO_BODY, fixtureOf, hasSessionCookie, ids } from './shared';

/** A pending invitation of A to the viewer role; its token is params.token. */
const INVITATION: RouteSpec['object'] = { kind: 'invitation', make: (w) => w.newInvitation('viewer') };

const NEW_PASSWORD = 'a different long passphrase';

/** The invitation and password routes of the catalogue (docs/security.md#invitations). */
export const INVITATION_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/invitations',
    access: { scope: 'custos:users:write' },
    valid: () => ({ body: { email: uniqueEmail('invited'), role: 'viewer' } }),
    success: {
      status: 201,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['invitation.created'],
      check(res, c) {
        const body = res.body as { id: string; token: string; url: string; role: string };
        expect(body).toMatchObject({ id: expect.stringMatching(/^inv_/), role: 'viewer', token: expect.stringMatching(/^cinv_/) });
        expect(body.url).toContain(`/invitations/accept#token=${body.token}`);
        expect(c.after.invitations).toBe(c.before.invitations + 1);
        expect(c.after.users).toBe(c.before.users);
      },
    },
    invalid: { request: () => ({ body: { email: 'not-an-email', role: 'emperor', password: PASSWORD } }), fields: ['email', 'role', 'password'] },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/invitations',
    access: { scope: 'custos:users:read' },
    object: INVITATION,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'DELETE',
    path: '/v1/invitations/:id',
    access: { scope: 'custos:users:write' },
    object: INVITATION,
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.viewer,
      audit: ['invitation.revoked'],
      async check(_res, c) {
        expect(c.after.openInvitations).toBe(c.before.openInvitations - 1);
        expect((await c.world.api.anonymous().get(`/v1/invitations/${fixtureOf(c).secret!}`)).status).toBe(404);
      },
    },
    invalid: { notApplicable: 'takes no body' },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/invitations/:token',
    access: { public: "the accept page shows what the link invites to before anyone is signed in; the link's token is the credential" },
    object: INVITATION,
    valid: () => ({}),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: [],
      check(res, c) {
        expect(res.body).toEqual({ email: fixtureOf(c).name, role: 'viewer', organization: expect.stringContaining('Routes A'), expiresAt: expect.any(String) });
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: "public; the token names its own tenant's invitation and nothing else" },
  },
  {
    method: 'POST',
    path: '/v1/invitations/:token/accept',
    access: { public: 'the person invited has no account yet: the link’s one-time token is the credential' },
    object: INVITATION,
    secretFields: ['password'],
    valid: () => ({ body: { password: PASSWORD } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['invitation.accepted', 'user.created', 'auth.login_succeeded'],
      async check(res, c) {
        expect(res.body).toMatchObject({ user: { email: fixtureOf(c).name, role: 'viewer' }, tenant: { id: c.world.a.tenantId }, restriction: null });
        hasSessionCookie(res);
        expect(c.after.users).toBe(c.before.users + 1);
        expect(c.after.openInvitations).toBe(c.before.openInvitations - 1);
        expect((await c.world.api.anonymous().post(`/v1/invitations/${fixtureOf(c).secret!}/accept`, { password: PASSWORD })).status).toBe(404);
      },
    },
    invalid: {
      request: () => ({ body: { password: 'qwerty123456' } }),
      // A common password: the password rules refuse it, the link stays unused (the footprint and the invitation are unchanged).
      fields: ['password'],
    },
    crossTenant: { notApplicable: "public; the token names its own tenant's invitation and nothing else" },
  },
  {
    method: 'POST',
    path: '/v1/me/password',
    access: { authenticated: 'a person changes their own password' },
    secretFields: ['currentPassword', 'newPassword'],
    text: { notApplicable: 'carries only passwords, which are secrets and exempt from the text rules' },
    valid: () => ({ body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }),
    success: {
      // The viewer's own session: the password becomes NEW_PASSWORD, this session stays, any other ends.
      status: 204,
      as: ['role-session'],
      audit: ['auth.password_changed'],
      async check(_res, c) {
        expect((await c.client.get('/v1/me')).status).toBe(200);
        const viewer = (await c.client.get<{ user: { email: string } }>('/v1/me')).body.user.email;
        expect((await c.world.api.anonymous().post('/v1/auth/login', { email: viewer, password: NEW_PASSWORD })).status).toBe(200);
      },
    },
    invalid: { request: () => ({ body: { currentPassword: '', newPassword: 'short', colour: 'red' } }), fields: ['currentPassword', 'newPassword', 'colour'] },
    crossTenant: { notApplicable: "changes only the caller's own password" },
  },
];
