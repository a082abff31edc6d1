import { ErrorCode } from '@custos/contracts';
import { PasswordHasher } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import { auditTrailOf, uniqueId, useMediumDatabase } from '@custos/fixtures';
import { SsoRepository, TenantRepository, UserRepository } from '@custos/persistence';
import type { LoginThrottle, ThrottleVerdict } from '../accounts/login-throttle';
import type { Principal } from '../auth/principal';
import { auditOn } from '../testing/audit-on';
import { authOn } from '../testing/auth-on';
import { OidcFailure, type OidcClaims, type OidcIdp, type OidcRelyingParty } from './oidc-relying-party';
import { SsoConfigService, type SsoConfigInput } from './sso-config.service';
import { SsoSignInService } from './sso-sign-in.service';

/** An IdP that answers with the claims a test sets, and checks the nonce as a real relying party would. */
class ScriptedIdp implements OidcRelyingParty {
  claims: OidcClaims = { sub: 'sub-1' };
  discoveryFails = false;
  private readonly nonces = new Map<string, string>();
  async discover(): Promise<void> {
    if (this.discoveryFails) throw new OidcFailure('discovery', 'HTTP 404');
  }
  async authorizationUrl(_idp: OidcIdp, request: { state: string; nonce: string }): Promise<string> {
    this.nonces.set(request.state, request.nonce);
    return `https://idp.test/authorize?state=${request.state}`;
  }
  async exchange(_idp: OidcIdp, callback: { state: string; nonce: string }): Promise<OidcClaims> {
    if (this.nonces.get(callback.state) !== callback.nonce) throw new OidcFailure('exchange', 'unexpected ID Token "nonce" claim value');
    return this.claims;
  }
}

const allowAll: LoginThrottle = {
  attempt: async (): Promise<ThrottleVerdict> => ({ allowed: true, lastBeforeLockout: false }),
  failed: async () => null,
  succeeded: async () => undefined,
};

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

/** Single sign-on's rules with the real repositories on the run's database: role mapping, just-in-time users, enforcement. */
describe('single sign-on (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  afterEach(() => sealer.drain());
  const { auth, box } = authOn(db, audit, allowAll);
  const idp = new ScriptedIdp();
  const sso = new SsoRepository();
  const config = new SsoConfigService(db, audit, box, sso, new TenantRepository(), idp);
  const signIn = new SsoSignInService(db, audit, box, new PasswordHasher(), auth, sso, new TenantRepository(), new UserRepository(), idp);
  const meta = { requestId: 'req_sso', ip: '203.0.113.7' };
  const redirectUri = 'https://custos.test/v1/auth/sso/callback';
  const PASSWORD = 'correct horse battery staple';

  const input = (overrides: Partial<SsoConfigInput> = {}): SsoConfigInput => ({
    issuer: 'https://idp.test',
    clientId: 'custos',
    clientSecret: 'idp-secret',
    roleClaim: 'groups',
    roleMapping: { 'custos-admins': 'admin', 'custos-ops': 'operator', auditors: 'auditor' },
    defaultRole: 'viewer',
    enforce: false,
    ...overrides,
  });

  async function organization() {
    const email = `${uniqueId('owner')}@example.test`;
    const grant = await auth.signup({ organization: uniqueId('Org'), email, password: PASSWORD }, meta);
    const owner = (await auth.authenticateSession(grant.sessionToken))!;
    const overview = await config.put(owner, input(), meta);
    return { owner, email, tenantId: grant.tenant.id, slug: overview.tenantSlug };
  }

  /** A whole sign-in with the claims given: start, then the callback from the same browser. */
  async function signInWith(slug: string, claims: Record<string, unknown>, tester: Principal | null = null) {
    idp.claims = { sub: uniqueId('sub'), ...claims };
    const started = await signIn.start(slug, redirectUri, tester);
    if ('error' in started) throw new Error(started.error);
    const outcome = await signIn.callback({ callbackQuery: `code=c&state=${started.state}`, state: started.state, cookieState: started.state, redirectUri }, meta);
    return { started, outcome };
  }

  it('creates a person on their first sign-in with the strongest mapped role, and reuses them after', async () => {
    const org = await organization();
    const email = `${uniqueId('ada')}@example.test`;
    const first = await signInWith(org.slug, { email, email_verified: true, groups: ['staff', 'auditors', 'custos-admins'] });
    expect(first.outcome).toMatchObject({ kind: 'session', created: true, grant: { user: { email, role: 'admin' }, tenant: { id: org.tenantId } } });

    const again = await signInWith(org.slug, { email: email.toUpperCase(), groups: ['auditors'] });
    // The same person, role unchanged: after their first sign-in Custos manages it.
    expect(again.outcome).toMatchObject({ kind: 'session', created: false, grant: { user: { email, role: 'admin' } } });

    const trail = await auditTrailOf(db, org.tenantId);
    const created = trail.filter((e) => e.action === 'user.created' && e.data.via === 'sso');
    expect(created).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'auth.login_succeeded' && e.data.method === 'sso')).toHaveLength(2);
  });

  it('gives the default role when no value maps', async () => {
    const org = await organization();
    const { outcome } = await signInWith(org.slug, { email: `${uniqueId('bob')}@example.test`, groups: 'staff' });
    expect(outcome).toMatchObject({ kind: 'session', grant: { user: { role: 'viewer' } } });
  });

  it('refuses an e-mail of another organization, and one the IdP marks unverified, creating no one', async () => {
    const org = await organization();
    const other = await organization();
    expect((await signInWith(org.slug, { email: other.email })).outcome).toEqual({ kind: 'error', error: 'email_taken' });
    expect((await signInWith(org.slug, { email: `${uniqueId('eve')}@example.test`, email_verified: false })).outcome).toEqual({ kind: 'error', error: 'email_unverified' });
    expect((await signInWith(org.slug, {})).outcome).toEqual({ kind: 'error', error: 'email_unverified' });
    const people = await db.tenant(org.tenantId, (tx) => new UserRepository().list(tx));
    expect(people.map((p) => p.email)).toEqual([org.email]);
  });

  it("takes a state once, only from the browser it was given to", async () => {
    const org = await organization();
    idp.claims = { sub: 's', email: `${uniqueId('once')}@example.test` };
    const started = await signIn.start(org.slug, redirectUri, null);
    if ('error' in started) throw new Error(started.error);
    const callback = (cookieState: string | null) => signIn.callback({ callbackQuery: `code=c&state=${started.state}`, state: started.state, cookieState, redirectUri }, meta);
    expect(await callback(null)).toEqual({ kind: 'error', error: 'invalid_state' });
    expect(await callback('another-browser')).toEqual({ kind: 'error', error: 'invalid_state' });
    expect(await callback(started.state)).toMatchObject({ kind: 'session' });
    expect(await callback(started.state)).toEqual({ kind: 'error', error: 'invalid_state' });
  });

  it('reports a test sign-in on the configuration, and creates no one', async () => {
    const org = await organization();
    const email = `${uniqueId('tested')}@example.test`;
    const { outcome } = await signInWith(org.slug, { email, groups: ['custos-ops'] }, org.owner);
    expect(outcome).toMatchObject({ kind: 'test', outcome: { ok: true, mappedRole: 'operator', existingUser: false, claims: { email, roleClaim: ['custos-ops'] } } });
    const overview = await config.get(org.owner);
    expect(overview.config?.lastTest).toMatchObject({ ok: true, mappedRole: 'operator', by: org.owner.id });
    const people = await db.tenant(org.tenantId, (tx) => new UserRepository().list(tx));
    expect(people).toHaveLength(1);
  });

  it('enforced, refuses the password of everyone but the break-glass owner, after checking it', async () => {
    const org = await organization();
    const member = `${uniqueId('member')}@example.test`;
    const { outcome } = await signInWith(org.slug, { email: member, groups: 'custos-ops' });
    expect(outcome.kind).toBe('session');
    await db.tenant(org.tenantId, async (tx) => {
      const user = (await new UserRepository().findByEmail(tx, member))!;
      await new UserRepository().setPassword(tx, user.id, await new PasswordHasher().hash(PASSWORD), false);
    });
    expect((await auth.login({ email: member, password: PASSWORD }, meta)) as object).toHaveProperty('session');

    const enforced = await config.put(org.owner, input({ enforce: true, clientSecret: undefined }), meta);
    expect(enforced.config).toMatchObject({ enforce: true, breakGlassUserId: org.owner.id });

    const refused = await refusal(auth.login({ email: member, password: PASSWORD }, meta));
    expect(refused.code).toBe(ErrorCode.FORBIDDEN);
    expect(refused.message).toMatch(/signs in with SSO/);
    expect((await refusal(auth.login({ email: member, password: 'wrong password' }, meta))).code).toBe(ErrorCode.INVALID_CREDENTIALS);
    expect(await auth.login({ email: org.email, password: PASSWORD }, meta)).toHaveProperty('session');
    const failures = (await auditTrailOf(db, org.tenantId)).filter((e) => e.action === 'auth.login_failed');
    expect(failures.map((e) => e.data.reason)).toEqual(['sso_required', 'bad_password']);
  });

  it('lets nobody map to a role above their own, enforce unless an owner, or save an issuer discovery refuses', async () => {
    const org = await organization();
    const admin: Principal = { ...org.owner, role: 'admin', id: 'usr_admin' };
    expect((await refusal(config.put(admin, input({ roleMapping: { founders: 'owner' } }), meta))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await refusal(config.put(admin, input({ enforce: true }), meta))).code).toBe(ErrorCode.FORBIDDEN);
    idp.discoveryFails = true;
    try {
      const error = await refusal(config.put(org.owner, input({ issuer: 'https://elsewhere.test' }), meta));
      expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(error.fieldErrors).toEqual([{ field: 'issuer', message: 'OIDC discovery failed: HTTP 404' }]);
    } finally {
      idp.discoveryFails = false;
    }
    expect((await config.get(org.owner)).config?.issuer).toBe('https://idp.test');
  });

  it('asks a person with MFA for a fresh check before changing SSO', async () => {
    const org = await organization();
    const stale: Principal = { ...org.owner, session: { ...org.owner.session!, hasMfa: true, mfaAt: new Date(Date.now() - 3_600_000) } };
    expect((await refusal(config.put(stale, input(), meta))).code).toBe(ErrorCode.STEP_UP_REQUIRED);
    expect((await refusal(config.remove(stale, meta))).code).toBe(ErrorCode.STEP_UP_REQUIRED);
  });
});
