import { ErrorCode } from '@custos/contracts';
import { totpCodeAt } from '@custos/crypto';
import { ageSessions, auditTrailOf, setAuthPolicy, storedSecondFactors, uniqueId, useMediumDatabase } from '@custos/fixtures';
import type { Principal } from '../auth/principal';
import { assertSteppedUp } from '../auth/step-up';
import { auditOn } from '../testing/audit-on';
import { authOn } from '../testing/auth-on';
import { refusalOf } from '../testing/refusal';
import { ScriptedThrottle } from '../testing/scripted-throttle';
import type { SessionGrant } from './session-starter';

/** Second factors with their real repositories on the run's database: what the HTTP tests cannot see. */
describe('MFA (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  afterEach(() => sealer.drain());
  const throttle = new ScriptedThrottle();
  const { auth, mfa, countries } = authOn(db, audit, throttle);
  const meta = { requestId: 'req_mfa', ip: '81.2.69.160', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140' };
  const STEP = 30_000;

  async function signedUp(): Promise<{ grant: SessionGrant; principal: Principal; email: string; password: string }> {
    const input = { organization: uniqueId('MFA Org'), email: `${uniqueId('mfa')}@example.test`, password: 'correct horse battery staple' };
    const grant = await auth.signup(input, meta);
    const principal = (await auth.authenticateSession(grant.sessionToken))!;
    return { grant, principal, email: input.email, password: input.password };
  }

  /** Enrols TOTP with the code of the step before now: the current and next steps stay free for the test. */
  async function enrolled(principal: Principal): Promise<{ secret: string; recoveryCodes: string[] }> {
    const { secret } = await mfa.enrolTotp(principal, meta);
    const { recoveryCodes } = await mfa.confirmTotp(principal, totpCodeAt(secret, new Date(Date.now() - STEP)), meta);
    return { secret, recoveryCodes };
  }

  async function challenge(email: string, password: string): Promise<string> {
    const outcome = await auth.login({ email, password }, meta);
    if (!('mfa' in outcome)) throw new Error('expected a second factor to be asked for');
    return outcome.mfa.mfaToken;
  }

  it('keeps the TOTP secret sealed and only keyed hashes of the recovery codes; the session keeps a network and country, not the address', async () => {
    const { principal } = await signedUp();
    const { secret, recoveryCodes } = await enrolled(principal);

    const stored = await storedSecondFactors(principal.id);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(secret);
    for (const code of recoveryCodes) expect(text).not.toContain(code);
    expect(stored.user.recovery_code_hashes).toHaveLength(10);
    expect(stored.user.totp_pending_secret_sealed).toBeNull();
    expect(stored.sessions).toEqual([
      { method: 'signup', device: meta.userAgent, ip_prefix: '81.2.69.0/24', country: 'DE', restriction: null, mfa_at: expect.any(Date) },
    ]);
    expect(text).not.toContain(meta.ip);
  });

  it('refuses a wrong first code, counting it against the throttle with an audit event, and leaves TOTP off', async () => {
    const { principal, grant } = await signedUp();
    const { secret } = await mfa.enrolTotp(principal, meta);
    const wrong = totpCodeAt(secret, new Date(Date.now() + 10 * STEP));

    expect((await refusalOf(mfa.confirmTotp(principal, wrong, meta))).code).toBe(ErrorCode.INVALID_MFA);

    expect(await mfa.status(principal)).toEqual({ totp: { enabled: false, enabledAt: null, pending: true }, recoveryCodesLeft: 0 });
    expect(throttle.failures.map((f) => f.email)).toContain(principal.email);
    const trail = await auditTrailOf(db, grant.tenant.id);
    expect(trail.find((e) => e.action === 'auth.mfa_failed')?.data).toMatchObject({ stage: 'enrol', failures: 1 });
  });

  it('accepts one code once: two log-ins racing with the same code sign in one', async () => {
    const { principal, email, password } = await signedUp();
    const { secret } = await enrolled(principal);
    const [first, second] = await Promise.all([challenge(email, password), challenge(email, password)]);
    const code = totpCodeAt(secret, new Date());

    const results = await Promise.allSettled([auth.completeMfa({ mfaToken: first, code }, meta), auth.completeMfa({ mfaToken: second, code }, meta)]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: ErrorCode.INVALID_MFA });
  });

  it('uses a recovery code up: the same code twice at once signs in once, and the count goes down', async () => {
    const { principal, email, password } = await signedUp();
    const { recoveryCodes } = await enrolled(principal);
    const [first, second] = await Promise.all([challenge(email, password), challenge(email, password)]);
    const code = recoveryCodes[3]!.toUpperCase();

    const results = await Promise.allSettled([auth.completeMfa({ mfaToken: first, code }, meta), auth.completeMfa({ mfaToken: second, code }, meta)]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await mfa.status(principal)).recoveryCodesLeft).toBe(9);
  });

  it('takes five wrong codes on one log-in, then wants the password again', async () => {
    const { principal, email, password } = await signedUp();
    const { secret } = await enrolled(principal);
    const mfaToken = await challenge(email, password);
    const wrong = totpCodeAt(secret, new Date(Date.now() + 10 * STEP));

    for (let i = 0; i < 4; i += 1) expect((await refusalOf(auth.completeMfa({ mfaToken, code: wrong }, meta))).message).toMatch(/wrong or was used/);
    // The fifth says the log-in is over, and it is.
    expect((await refusalOf(auth.completeMfa({ mfaToken, code: wrong }, meta))).message).toMatch(/log in again/);
    const right = await refusalOf(auth.completeMfa({ mfaToken, code: totpCodeAt(secret, new Date()) }, meta));

    expect(right.code).toBe(ErrorCode.INVALID_MFA);
    expect(right.message).toMatch(/log in again/);
  });

  it('asks people with MFA for a fresh check before sensitive actions, and a code renews it for the policy window', async () => {
    const { principal, grant } = await signedUp();
    const { secret } = await enrolled(principal);
    await ageSessions(principal.id, { mfaSeconds: 601 });
    const stale = (await auth.authenticateSession(grant.sessionToken))!;
    expect(stale.session).toMatchObject({ hasMfa: true });

    expect(() => assertSteppedUp(stale)).toThrow(expect.objectContaining({ code: ErrorCode.STEP_UP_REQUIRED }));
    await mfa.stepUp(stale, { code: totpCodeAt(secret, new Date()) }, meta);

    const fresh = (await auth.authenticateSession(grant.sessionToken))!;
    expect(() => assertSteppedUp(fresh)).not.toThrow();
  });

  it('does not ask people without MFA to step up, nor service keys', async () => {
    const { principal } = await signedUp();
    expect(() => assertSteppedUp(principal)).not.toThrow();
    expect(() => assertSteppedUp({ ...principal, kind: 'service_key', session: undefined })).not.toThrow();
  });

  it('restricts a session of a role the policy requires MFA for until TOTP is on', async () => {
    const { principal, email, password, grant } = await signedUp();
    await setAuthPolicy(grant.tenant.id, { requireMfaForRoles: ['owner'] });

    const outcome = await auth.login({ email, password }, meta);
    if (!('session' in outcome)) throw new Error('no MFA yet: the password is enough to start a restricted session');
    expect(outcome.session.restriction).toBe('mfa_enrolment');
    const restricted = (await auth.authenticateSession(outcome.session.sessionToken))!;
    expect(restricted.session?.restriction).toBe('mfa_enrolment');

    await enrolled(restricted);

    expect((await auth.authenticateSession(outcome.session.sessionToken))!.session?.restriction).toBeNull();
    expect(principal.session?.restriction).toBeNull();
  });

  it('raises a new_country_sign_in alert when a person signs in from a country new to them, not for their first one', async () => {
    const { email, password, grant, principal } = await signedUp();
    const loginFrom = async (country: string) => {
      countries.country = country;
      const outcome = await auth.login({ email, password }, meta);
      if (!('session' in outcome)) throw new Error('expected a session');
    };
    try {
      await loginFrom('DE');
      await loginFrom('DE');
      expect((await auditTrailOf(db, grant.tenant.id)).filter((e) => e.action === 'alert.raised')).toEqual([]);
      await loginFrom('BR');
      await loginFrom('BR');
    } finally {
      countries.country = 'DE';
    }
    const raised = (await auditTrailOf(db, grant.tenant.id)).filter((e) => e.action === 'alert.raised');
    expect(raised.map((e) => e.data)).toEqual([
      expect.objectContaining({ rule: 'new_country_sign_in', subject: `user:${principal.id}:BR`, tokenId: null, details: { userId: principal.id, email, country: 'BR' } }),
    ]);
  });

  it('ends a session at its absolute limit however busy, and at its idle limit', async () => {
    const busy = await signedUp();
    await ageSessions(busy.principal.id, { startedSeconds: 12 * 3600 + 5, seenSeconds: 1 });
    expect(await auth.authenticateSession(busy.grant.sessionToken)).toBeNull();

    const idle = await signedUp();
    await ageSessions(idle.principal.id, { seenSeconds: 121 * 60 });
    expect(await auth.authenticateSession(idle.grant.sessionToken)).toBeNull();
  });
});
