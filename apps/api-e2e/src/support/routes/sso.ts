import { ROLE_SCOPES } from '@custos/contracts';
import type { RouteSpec, World } from './route-spec';
import { BOTH, NO_BODY } from './shared';

/** A's single sign-on configured with the test IdP: what DELETE removes and the sign-in routes start from. */
const SSO_CONFIG: RouteSpec['object'] = { kind: 'sso_config', make: (w) => w.newSsoConfig() };

const configBody = (w: World) => ({
  issuer: w.ssoIdp.issuer,
  clientId: w.ssoIdp.clientId,
  clientSecret: w.ssoIdp.clientSecret,
  roleClaim: 'groups',
  roleMapping: { 'custos-admins': 'admin', 'custos-operators': 'operator' },
  defaultRole: 'viewer',
  enforce: false,
});

interface Overview {
  config: { clientSecretSet: boolean; issuer: string } | null;
  tenantSlug: string;
  redirectUri: string;
}

/** The single sign-on routes of the catalogue: its configuration, and the browser's way through the IdP. */
export const SSO_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/sso',
    access: { scope: 'custos:policy:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res) {
        const body = res.body as Overview;
        expect(body.tenantSlug).toMatch(/^routes-a/);
        expect(body.redirectUri).toMatch(/\/v1\/auth\/sso\/callback$/);
      },
    },
    invalid: NO_BODY,
    crossTenant: { notApplicable: "answers about the caller's own organization; names no object" },
  },
  {
    method: 'PUT',
    path: '/v1/sso',
    access: { scope: 'custos:policy:write' },
    secretFields: ['clientSecret'],
    valid: ({ world }) => ({ body: configBody(world) }),
    exampleStandIns: (w) => ({ 'https://login.example.com': w.ssoIdp.issuer }),
    success: {
      status: 200,
      as: BOTH,
      // The mapping hands out admin and operator: nobody maps a role they do not hold.
      alsoHolds: ROLE_SCOPES.admin,
      audit: ['sso.configured'],
      check(res, c) {
        const body = res.body as Overview;
        expect(body.config).toMatchObject({ issuer: c.world.ssoIdp.issuer, clientSecretSet: true });
        expect(JSON.stringify(body)).not.toContain(c.world.ssoIdp.clientSecret);
        expect(c.after.ssoUpdatedAt).not.toBe(c.before.ssoUpdatedAt);
      },
    },
    invalid: {
      request: ({ world }) => ({ body: { ...configBody(world), clientId: '', roleMapping: 'admins', defaultRole: 'emperor', enforce: 'yes', colour: 'red' } }),
      fields: ['clientId', 'roleMapping', 'defaultRole', 'enforce', 'colour'],
    },
    crossTenant: { notApplicable: "configures the caller's own organization; names no object" },
  },
  {
    method: 'DELETE',
    path: '/v1/sso',
    access: { scope: 'custos:policy:write' },
    object: SSO_CONFIG,
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      alsoHolds: ROLE_SCOPES.admin,
      audit: ['sso.removed'],
      check(_res, c) {
        expect(c.after.ssoUpdatedAt).toBeNull();
      },
    },
    invalid: NO_BODY,
    // B has no SSO of its own: 404, and A's configuration stays.
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/auth/sso/:tenantSlug/start',
    access: { public: "a person who is not signed in yet starts a sign-in through their organization's IdP" },
    object: SSO_CONFIG,
    valid: () => ({}),
    text: { probe: () => ({ query: 'test=false' }) },
    success: {
      status: 302,
      as: ['anonymous'],
      audit: [],
      check(res, c) {
        expect(res.headers.get('location')).toMatch(new RegExp(`^${c.world.ssoIdp.issuer}/auth\\?`));
        const location = new URL(res.headers.get('location')!);
        expect(location.searchParams.get('code_challenge_method')).toBe('S256');
        expect(location.searchParams.get('nonce')).toEqual(expect.any(String));
        expect(res.headers.getSetCookie().join()).toMatch(/custos_sso_state=[^;]+;.*HttpOnly/i);
        expect(c.after.ssoLoginStates).toBe(c.before.ssoLoginStates + 1);
      },
    },
    invalid: { request: () => ({ query: 'test=maybe' }), fields: ['test'] },
    crossTenant: { notApplicable: 'public; the organization is named by its slug, and the answer only sends the browser to its IdP' },
  },
  {
    method: 'GET',
    path: '/v1/auth/sso/callback',
    access: { public: 'the IdP sends the browser back here before anyone is signed in' },
    valid: () => ({ query: 'code=not-a-code&state=not-a-state' }),
    success: {
      status: 302,
      as: ['anonymous'],
      audit: [],
      check(res, c) {
        // No state cookie from this browser: refused, with a code for the log-in page and nothing written.
        expect(res.headers.get('location')).toBe('/login?sso_error=invalid_state');
        expect(c.after).toEqual(c.before);
      },
    },
    invalid: { notApplicable: 'the IdP chooses the query; whatever comes back ends in a redirect with an error code, never a 400' },
    text: { notApplicable: "the IdP's query is read as it comes; only its state and code are used, never stored" },
    crossTenant: { notApplicable: 'public; the sign-in names its organization by the state it took' },
  },
];
