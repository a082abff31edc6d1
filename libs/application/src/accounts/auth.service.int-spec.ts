import { ErrorCode, ROLE_SCOPES } from '@custos/contracts';
import { AUTH_POLICY_DEFAULTS, DomainError } from '@custos/domain';
import { auditTrailOf, countTenantsNamed, uniqueId, useMediumDatabase } from '@custos/fixtures';
import { PolicyRepository, UserRepository } from '@custos/persistence';
import { auditOn } from '../testing/audit-on';
import { authOn } from '../testing/auth-on';
import type { ApplicationSettings } from '../shared/settings';
import { type AuthService } from './auth.service';
import type { LoginThrottle } from './login-throttle';
import { ScriptedThrottle } from '../testing/scripted-throttle';

/** The error a promise rejects with, for comparing two answers field by field. */
async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

const answerOf = (e: DomainError) => ({ code: e.code, message: e.message, fieldErrors: e.fieldErrors, retryAfterSeconds: e.retryAfterSeconds });

/** Sign-up, log-in, sessions: AuthService with its real repositories on the run's database, no HTTP. */
describe('AuthService (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  // Seals run after commit: they finish before the file's pool closes.
  afterEach(() => sealer.drain());
  const users = new UserRepository();
  const meta = { requestId: 'req_auth', ip: '203.0.113.9' };
  const baseSettings: ApplicationSettings = { sessionTtlSeconds: 3600, verifyCacheTtlMs: 1000, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 };

  function authService(throttle: LoginThrottle, settings: Partial<ApplicationSettings> = {}): AuthService {
    return authOn(db, audit, throttle, { ...baseSettings, ...settings }).auth;
  }

  const throttle = new ScriptedThrottle();
  const auth = authService(throttle);
  beforeEach(() => {
    throttle.refuseForMs = null;
  });

  const newAccount = () => ({ organization: uniqueId('Org'), email: `${uniqueId('owner')}@example.test`, password: 'correct horse battery' });

  it('signs up the tenant, its policy, its owner and their audit events in one go, and signs the owner in', async () => {
    const input = newAccount();
    const grant = await auth.signup(input, meta);

    expect(grant.tenant).toEqual({ id: expect.stringMatching(/^ten_/), name: input.organization });
    expect(grant.user).toMatchObject({ email: input.email, role: 'owner', lastLoginAt: null });
    expect(await auth.authenticateSession(grant.sessionToken)).toEqual({
      tenantId: grant.tenant.id,
      kind: 'user',
      id: grant.user.id,
      email: input.email,
      name: null,
      role: 'owner',
      scopes: ROLE_SCOPES.owner,
      ownerServiceId: null,
      sessionId: expect.stringMatching(/^ses_/),
      session: { hasMfa: false, mfaAt: null, restriction: null, policy: AUTH_POLICY_DEFAULTS },
    });
    const trail = await auditTrailOf(db, grant.tenant.id);
    expect(trail.map((e) => [e.action, e.actor_id, e.target_id])).toEqual([
      ['tenant.created', grant.user.id, grant.tenant.id],
      ['user.created', grant.user.id, grant.user.id],
    ]);
    expect(trail[0]!.data).toMatchObject({ name: input.organization, via: 'signup' });
    expect(trail[0]!.data).not.toHaveProperty('runsInstallation');
    const policy = await db.tenant(grant.tenant.id, (tx) => new PolicyRepository().get(tx));
    expect(policy.tenantId).toBe(grant.tenant.id);
  });

  it('leaves no tenant behind when a later step of sign-up fails (the e-mail is taken, in any case)', async () => {
    const first = newAccount();
    await auth.signup(first, meta);
    const second = { ...newAccount(), email: first.email.toUpperCase() };

    const error = await refusal(auth.signup(second, meta));

    expect(error.code).toBe(ErrorCode.EMAIL_TAKEN);
    expect(error.fieldErrors).toEqual([{ field: 'email', message: 'is already registered' }]);
    expect(await countTenantsNamed(second.organization)).toBe(0);
    expect(await countTenantsNamed(first.organization)).toBe(1);
  });

  it('counts each of 10 parallel wrong passwords, with one audit event each numbering it', async () => {
    const input = newAccount();
    const { tenant, user } = await auth.signup(input, meta);

    const errors = await Promise.all(Array.from({ length: 10 }, () => refusal(auth.login({ email: input.email, password: 'wrong' }, meta))));

    expect(errors.map((e) => e.code)).toEqual(Array(10).fill(ErrorCode.INVALID_CREDENTIALS));
    const stored = await db.tenant(tenant.id, (tx) => users.findById(tx, user.id));
    expect(stored!.failedLoginCount).toBe(10);
    const failures = (await auditTrailOf(db, tenant.id)).filter((e) => e.action === 'auth.login_failed');
    expect(failures.map((e) => e.data.failures).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(failures.every((e) => e.data.reason === 'bad_password' && e.actor_id === user.id)).toBe(true);
  });

  it('answers an unknown e-mail exactly as a known one with a wrong password, no sooner than the floor', async () => {
    const floored = authService(throttle, { loginMinResponseMs: 150 });
    const input = newAccount();
    await auth.signup(input, meta);

    const timed = async (email: string) => {
      const started = Date.now();
      const error = await refusal(floored.login({ email, password: 'wrong' }, meta));
      return { error, ms: Date.now() - started };
    };
    const nobody = `${uniqueId('nobody')}@example.test`;
    const known = await timed(input.email);
    const unknown = await timed(nobody);

    expect(answerOf(unknown.error)).toEqual(answerOf(known.error));
    expect(known.error.code).toBe(ErrorCode.INVALID_CREDENTIALS);
    expect(known.ms).toBeGreaterThanOrEqual(149);
    expect(unknown.ms).toBeGreaterThanOrEqual(149);
    // Both went through the throttle's failure count: it cannot tell them apart either.
    expect(throttle.failures.map((f) => f.email)).toEqual(expect.arrayContaining([input.email, nobody]));
  });

  it('refuses a throttled attempt before checking the password, the right one too, alike for unknown accounts', async () => {
    const input = newAccount();
    const { tenant, user } = await auth.signup(input, meta);
    throttle.refuseForMs = 30_000;

    const known = await refusal(auth.login({ email: input.email, password: input.password }, meta));
    const unknown = await refusal(auth.login({ email: `${uniqueId('nobody')}@example.test`, password: input.password }, meta));

    expect(answerOf(known)).toEqual({ code: ErrorCode.RATE_LIMITED, message: expect.any(String), fieldErrors: [], retryAfterSeconds: 30 });
    expect(answerOf(unknown)).toEqual(answerOf(known));
    const stored = await db.tenant(tenant.id, (tx) => users.findById(tx, user.id));
    expect(stored!.failedLoginCount).toBe(1);
    expect((await auditTrailOf(db, tenant.id)).filter((e) => e.action === 'auth.login_failed').map((e) => e.data.reason)).toEqual(['throttled']);
  });

  it('bootstraps nothing on a database that has tenants already', async () => {
    const input = newAccount();
    await auth.signup(newAccount(), meta);

    expect(await auth.bootstrap(input)).toBe(false);
    expect(await countTenantsNamed(input.organization)).toBe(0);
  });

  it('clears the failure count on a right password, and the session ends at log-out', async () => {
    const input = newAccount();
    const { tenant, user } = await auth.signup(input, meta);
    await refusal(auth.login({ email: input.email, password: 'wrong' }, meta));

    const outcome = await auth.login({ email: input.email.toUpperCase(), password: input.password }, meta);
    if (!('session' in outcome)) throw new Error('expected a session: the account has no MFA');
    const grant = outcome.session;

    expect(grant.user.id).toBe(user.id);
    expect(grant.user.lastLoginAt).not.toBeNull();
    expect(throttle.successes.map((s) => s.email)).toContain(input.email.toUpperCase());
    const stored = await db.tenant(tenant.id, (tx) => users.findById(tx, user.id));
    expect(stored!.failedLoginCount).toBe(0);
    const principal = await auth.authenticateSession(grant.sessionToken);
    expect(principal?.id).toBe(user.id);
    expect(await auth.me(principal!)).toEqual({ user: grant.user, tenant: { id: tenant.id, name: input.organization } });

    await auth.logout(principal!, meta);
    expect(await auth.authenticateSession(grant.sessionToken)).toBeNull();
  });
});
