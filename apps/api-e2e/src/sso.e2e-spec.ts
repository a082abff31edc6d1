import { ROLE_SCOPES } from '@custos/contracts';
import {
  ApiClient,
  PASSWORD,
  addUser,
  auditEvents,
  sessionCookieOf,
  signupTenant,
  startTestIdp,
  storedSsoSecret,
  tamperSsoNonces,
  tenantFootprint,
  uniqueEmail,
  type TestIdp,
  type TestTenant,
} from '@custos/testing';
import { SsoBrowser } from './support/sso-browser';

interface Overview {
  config: null | {
    issuer: string;
    clientId: string;
    clientSecretSet: true;
    roleClaim: string | null;
    roleMapping: Record<string, string>;
    defaultRole: string;
    enforce: boolean;
    breakGlassUserId: string | null;
    lastTest: null | { ok: boolean; mappedRole?: string; existingUser?: boolean; claims?: { email: string | null; roleClaim: unknown }; error?: string };
  };
  tenantSlug: string;
  redirectUri: string;
  startUrl: string;
}
interface Problem {
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

/**
 * Single sign-on over HTTP against a real OpenID Provider (panva's oidc-provider in a process of its
 * own): configuring it, the authorization code flow with PKCE, just-in-time users with the mapped role,
 * state and nonce checks, enforcement with its break-glass owner, the test sign-in and removal.
 */
describe('single sign-on (OIDC) over HTTP', () => {
  const api = ApiClient.fromEnv();
  let idp: TestIdp;
  let tenant: TestTenant;
  let slug: string;

  const config = (overrides: Record<string, unknown> = {}) => ({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    roleClaim: 'groups',
    roleMapping: { 'custos-admins': 'admin', 'custos-operators': 'operator' },
    defaultRole: 'viewer',
    enforce: false,
    ...overrides,
  });

  beforeAll(async () => {
    idp = await startTestIdp([`${api.baseUrl}/v1/auth/sso/callback`]);
    tenant = await signupTenant(api, 'SSO Org');
    const saved = await tenant.owner.put<Overview>('/v1/sso', config());
    expect(saved.status).toBe(200);
    slug = saved.body.tenantSlug;
  });
  afterAll(() => idp.stop());

  describe('configuration', () => {
    it('is checked by discovery, answered without the secret, sealed at rest and audited without it', async () => {
      const other = await signupTenant(api, 'SSO Config');
      const before = await other.owner.get<Overview>('/v1/sso');
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ config: null, tenantSlug: expect.stringMatching(/^sso-config-/), redirectUri: `${api.baseUrl}/v1/auth/sso/callback` });

      const res = await other.owner.put<Overview>('/v1/sso', config());
      expect(res.status).toBe(200);
      expect(res.body.config).toMatchObject({ issuer: idp.issuer, clientId: idp.clientId, clientSecretSet: true, defaultRole: 'viewer', enforce: false, breakGlassUserId: null });
      expect(JSON.stringify(res.body)).not.toContain(idp.clientSecret);
      expect(res.body.startUrl).toBe(`${api.baseUrl}/v1/auth/sso/${res.body.tenantSlug}/start`);
      expect((await other.owner.get<Overview>('/v1/sso')).body).toEqual(res.body);

      const sealed = await storedSsoSecret(other.tenantId);
      expect(sealed).toBeTruthy();
      expect(sealed).not.toContain(idp.clientSecret);
      const [event] = await auditEvents(other.owner, 'action=sso.configured');
      expect(event).toMatchObject({ action: 'sso.configured', data: { issuer: idp.issuer, clientId: idp.clientId, enforce: false } });
      expect(JSON.stringify(event)).not.toContain(idp.clientSecret);
    });

    it('refuses an issuer without a discovery document as a field error, and saves nothing', async () => {
      const other = await signupTenant(api, 'SSO Bad Issuer');
      const before = await tenantFootprint(other.tenantId);
      const res = await other.owner.put<Problem>('/v1/sso', config({ issuer: `${idp.issuer}/nowhere` }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'issuer', message: expect.stringContaining('OIDC discovery failed') }]);
      expect(await tenantFootprint(other.tenantId)).toEqual(before);
    });

    it('keeps the saved secret when none is sent for the same client, and asks for one for a new client', async () => {
      const other = await signupTenant(api, 'SSO Keep Secret');
      expect((await other.owner.put('/v1/sso', config())).status).toBe(200);
      const { clientSecret: _omitted, ...withoutSecret } = config({ defaultRole: 'auditor' });
      const kept = await other.owner.put<Overview>('/v1/sso', withoutSecret);
      expect(kept.status).toBe(200);
      expect(kept.body.config?.defaultRole).toBe('auditor');
      const newClient = await other.owner.put<Problem>('/v1/sso', { ...withoutSecret, clientId: 'another-client' });
      expect(newClient.status).toBe(400);
      expect(newClient.body.errors?.map((e) => e.field)).toEqual(['clientSecret']);
    });

    it('lets nobody map IdP claims to a role stronger than their own, nor enforce SSO unless an owner', async () => {
      const admin = await addUser(tenant, 'admin');
      const toOwner = await admin.client.put<Problem>('/v1/sso', config({ roleMapping: { 'custos-admins': 'owner' } }));
      expect(toOwner.status).toBe(403);
      const enforce = await admin.client.put<Problem>('/v1/sso', config({ enforce: true }));
      expect(enforce.status).toBe(403);
      expect(enforce.body.detail).toMatch(/Only an owner/);
      const operator = await addUser(tenant, 'operator');
      expect((await operator.client.put('/v1/sso', config())).status).toBe(403);
      // The tenant's configuration is as the owner left it.
      expect((await tenant.owner.get<Overview>('/v1/sso')).body.config).toMatchObject({ roleMapping: config().roleMapping, enforce: false });
    });
  });

  describe('signing in', () => {
    it('creates the person on their first sign-in with the mapped role, and reuses them on the next', async () => {
      const email = uniqueEmail('admin-sso');
      const before = await tenantFootprint(tenant.tenantId);
      const browser = new SsoBrowser(api.baseUrl);
      const first = await browser.signIn(slug, email);
      expect(first).toEqual({ status: 302, location: '/' });
      const cookie = browser.cookiesFor(api.baseUrl).split('; ').find((c) => c.startsWith('custos_session='))!;
      expect(cookie).toBeDefined();
      const me = await api.withAuth({ cookie }).get<{ user: { id: string; email: string; role: string }; scopes: string[] }>('/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ email, role: 'admin' });
      expect(me.body.scopes).toEqual([...ROLE_SCOPES.admin]);
      const after = await tenantFootprint(tenant.tenantId);
      expect(after.users).toBe(before.users + 1);
      expect(after.ssoLoginStates).toBe(0);

      const events = await auditEvents(tenant.owner, `target=${me.body.user.id}`);
      expect(events.map((e) => e.action).sort()).toEqual(['auth.login_succeeded', 'user.created']);
      expect(events.find((e) => e.action === 'user.created')!.data).toMatchObject({ email, role: 'admin', via: 'sso', issuer: idp.issuer });
      expect(events.find((e) => e.action === 'auth.login_succeeded')!.data).toMatchObject({ method: 'sso' });

      const again = await new SsoBrowser(api.baseUrl).signIn(slug, email);
      expect(again).toEqual({ status: 302, location: '/' });
      expect((await tenantFootprint(tenant.tenantId)).users).toBe(after.users);
    });

    it('gives the default role when no claim value maps', async () => {
      const email = uniqueEmail('staff');
      const browser = new SsoBrowser(api.baseUrl);
      expect(await browser.signIn(slug, email)).toEqual({ status: 302, location: '/' });
      const cookie = browser.cookiesFor(api.baseUrl).split('; ').find((c) => c.startsWith('custos_session='))!;
      expect((await api.withAuth({ cookie }).get<{ user: { role: string } }>('/v1/me')).body.user.role).toBe('viewer');
    });

    it('refuses an e-mail of another organization, and one the IdP has not verified, with a code for the log-in page', async () => {
      const elsewhere = await signupTenant(api, 'SSO Elsewhere');
      expect(await new SsoBrowser(api.baseUrl).signIn(slug, elsewhere.email)).toEqual({ status: 302, location: '/login?sso_error=email_taken' });
      expect(await new SsoBrowser(api.baseUrl).signIn(slug, `unverified+unverified-${Date.now()}@example.test`)).toEqual({
        status: 302,
        location: '/login?sso_error=email_unverified',
      });
    });

    it('answers an unknown organization like one without SSO', async () => {
      const res = await new SsoBrowser(api.baseUrl).fetch(`${api.baseUrl}/v1/auth/sso/no-such-org-${Date.now()}/start`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/login?sso_error=not_configured');
    });

    it('refuses a callback whose state is changed, missing from the browser, or used already', async () => {
      const browser = new SsoBrowser(api.baseUrl);
      const callback = await browser.throughIdp(`/v1/auth/sso/${slug}/start`, uniqueEmail('state'));
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-state');
      const before = await tenantFootprint(tenant.tenantId);
      expect(await browser.followCallback(forged.href)).toEqual({ status: 302, location: '/login?sso_error=invalid_state' });
      // Another browser (no state cookie) with the genuine callback URL.
      expect(await new SsoBrowser(api.baseUrl).followCallback(callback)).toEqual({ status: 302, location: '/login?sso_error=invalid_state' });
      const after = await tenantFootprint(tenant.tenantId);
      expect([after.users, after.sessions]).toEqual([before.users, before.sessions]);

      // The genuine one goes through once (the forged attempt cleared the cookie: the browser starts again).
      const genuine = new SsoBrowser(api.baseUrl);
      const url = await genuine.throughIdp(`/v1/auth/sso/${slug}/start`, uniqueEmail('state'));
      const stateCookie = genuine.cookie(api.baseUrl, 'custos_sso_state');
      expect(await genuine.followCallback(url)).toEqual({ status: 302, location: '/' });
      // A replay with the same cookie and URL finds the state taken.
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: `custos_sso_state=${stateCookie}` } });
      expect(res.headers.get('location')).toBe('/login?sso_error=invalid_state');
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      const browser = new SsoBrowser(api.baseUrl);
      const email = uniqueEmail('nonce');
      const callback = await browser.throughIdp(`/v1/auth/sso/${slug}/start`, email);
      expect(await tamperSsoNonces(tenant.tenantId)).toBeGreaterThanOrEqual(1);
      expect(await browser.followCallback(callback)).toEqual({ status: 302, location: '/login?sso_error=invalid_response' });
      const users = await tenant.owner.get<{ items: Array<{ email: string }> }>('/v1/users');
      expect(users.body.items.map((u) => u.email)).not.toContain(email);
    });
  });

  describe('a test sign-in', () => {
    it('reports the claims and the role they map to on the Settings page, creating no one', async () => {
      // The owner's session cookie, as their browser holds it.
      const ownerCookie = tenant.owner.auth.cookie!;
      const [name, value] = ownerCookie.split('=') as [string, string];
      const start = await fetch(`${api.baseUrl}/v1/auth/sso/${slug}/start?test=true`, { redirect: 'manual', headers: { cookie: `${name}=${value}` } });
      expect(start.status).toBe(302);
      const before = await tenantFootprint(tenant.tenantId);
      // The browser carries on from the IdP with the state cookie the start set.
      const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith('custos_sso_state='))!.split(';')[0]!;
      const email = uniqueEmail('op-tested');
      let url = start.headers.get('location')!;
      const idpBrowser = new SsoBrowser(api.baseUrl);
      url = await idpBrowser.throughIdpFrom(url, email);
      const done = await fetch(url, { redirect: 'manual', headers: { cookie: stateCookie } });
      expect(done.headers.get('location')).toBe('/settings?sso_test=ok');
      const after = await tenantFootprint(tenant.tenantId);
      expect([after.users, after.sessions]).toEqual([before.users, before.sessions]);
      const overview = await tenant.owner.get<Overview>('/v1/sso');
      expect(overview.body.config?.lastTest).toMatchObject({ ok: true, mappedRole: 'operator', existingUser: false, claims: { email, roleClaim: ['custos-operators'] } });
    });

    it('needs a signed-in owner or admin of the organization', async () => {
      const res = await fetch(`${api.baseUrl}/v1/auth/sso/${slug}/start?test=true`, { redirect: 'manual' });
      expect(res.status).toBe(401);
      const viewer = await addUser(tenant, 'viewer');
      const asViewer = await fetch(`${api.baseUrl}/v1/auth/sso/${slug}/start?test=true`, { redirect: 'manual', headers: { cookie: viewer.client.auth.cookie! } });
      expect(asViewer.status).toBe(403);
    });
  });

  describe('enforced', () => {
    it('turns password log-in off for everyone but the break-glass owner, without telling a wrong password anything', async () => {
      const org = await signupTenant(api, 'SSO Enforced');
      const member = await addUser(org, 'admin');
      const res = await org.owner.put<Overview>('/v1/sso', config({ enforce: true }));
      expect(res.status).toBe(200);
      expect(res.body.config).toMatchObject({ enforce: true, breakGlassUserId: org.ownerId });

      const refused = await api.anonymous().post<Problem>('/v1/auth/login', { email: member.email, password: PASSWORD });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('signs in with SSO') });
      expect(refused.headers.getSetCookie().some((c) => c.startsWith('custos_session='))).toBe(false);
      const wrong = await api.anonymous().post<Problem>('/v1/auth/login', { email: member.email, password: 'not the password at all' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');

      const owner = await api.anonymous().post('/v1/auth/login', { email: org.email, password: PASSWORD });
      expect(owner.status).toBe(200);
      expect(sessionCookieOf(owner.headers)).toMatch(/^custos_session=/);

      // SSO still signs the member in.
      const slugOf = res.body.tenantSlug;
      const browser = new SsoBrowser(api.baseUrl);
      expect(await browser.signIn(slugOf, member.email)).toEqual({ status: 302, location: '/' });

      // Switched off again, the password works.
      expect((await org.owner.put('/v1/sso', config({ enforce: false }))).status).toBe(200);
      expect((await api.anonymous().post('/v1/auth/login', { email: member.email, password: PASSWORD })).status).toBe(200);
    });
  });

  describe('removal', () => {
    it('is audited, and sign-ins through the IdP stop', async () => {
      const org = await signupTenant(api, 'SSO Removed');
      const saved = await org.owner.put<Overview>('/v1/sso', config());
      expect((await org.owner.delete('/v1/sso')).status).toBe(204);
      expect((await org.owner.get<Overview>('/v1/sso')).body.config).toBeNull();
      const [event] = await auditEvents(org.owner, 'action=sso.removed');
      expect(event).toMatchObject({ data: { issuer: idp.issuer, clientId: idp.clientId } });
      const res = await fetch(`${api.baseUrl}/v1/auth/sso/${saved.body.tenantSlug}/start`, { redirect: 'manual' });
      expect(res.headers.get('location')).toBe('/login?sso_error=not_configured');
      expect((await org.owner.delete('/v1/sso')).status).toBe(404);
    });
  });
});
