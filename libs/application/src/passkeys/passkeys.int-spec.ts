import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { SoftwareAuthenticator, auditTrailOf, uniqueId, useMediumDatabase } from '@custos/fixtures';
import { LoginChallengeRepository } from '@custos/persistence';
import type { LoginAttempt, LoginThrottle, ThrottleVerdict } from '../accounts/login-throttle';
import type { Principal } from '../auth/principal';
import { auditOn } from '../testing/audit-on';
import { TEST_WEBAUTHN, authOn } from '../testing/auth-on';
import { PasskeysService } from './passkeys.service';

/** Always allows; keeps what failed and what succeeded (the real throttle lives in Redis, apps/api). */
class CountingThrottle implements LoginThrottle {
  readonly failures: LoginAttempt[] = [];
  readonly successes: LoginAttempt[] = [];
  async attempt(): Promise<ThrottleVerdict> {
    return { allowed: true, lastBeforeLockout: false };
  }
  async failed(attempt: LoginAttempt): Promise<null> {
    this.failures.push(attempt);
    return null;
  }
  async succeeded(attempt: LoginAttempt): Promise<void> {
    this.successes.push(attempt);
  }
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}

/** Passkeys with real WebAuthn answers (a software authenticator) on the run's database: registration, log-in, step-up, removal. */
describe('PasskeysService (medium)', () => {
  const db = useMediumDatabase();
  const { audit, sealer } = auditOn(db);
  afterEach(() => sealer.drain());
  const throttle = new CountingThrottle();
  const { auth, secondFactor, webauthn, passkeys, users, sessions } = authOn(db, audit, throttle);
  const service = new PasskeysService(db, audit, webauthn, secondFactor, passkeys, users, sessions, new LoginChallengeRepository());
  const meta = { requestId: 'req_passkeys', ip: '203.0.113.7' };
  const origin = TEST_WEBAUTHN.origins[0]!;

  async function signedUp() {
    const input = { organization: uniqueId('Passkeys'), email: `${uniqueId('owner')}@example.test`, password: 'correct horse battery' };
    const grant = await auth.signup(input, meta);
    return { input, grant, principal: (await auth.authenticateSession(grant.sessionToken))! };
  }

  async function withPasskey(name = 'Laptop') {
    const account = await signedUp();
    const authenticator = new SoftwareAuthenticator(origin);
    const options = await service.registrationOptions(account.principal);
    const view = await service.register(account.principal, { name, response: authenticator.register(options) }, meta);
    return { ...account, authenticator, view };
  }

  async function passwordStep(email: string) {
    const outcome = await auth.login({ email, password: 'correct horse battery' }, meta);
    if (!('mfa' in outcome)) throw new Error('expected a second factor to be asked for');
    return outcome.mfa;
  }

  it('registers a passkey against the options it gave, once, and from then on the person has MFA and the log-in asks for it', async () => {
    const { principal, grant, authenticator } = await signedUp().then(async (a) => ({ ...a, authenticator: new SoftwareAuthenticator(origin) }));
    const options = await service.registrationOptions(principal);
    expect(options).toMatchObject({ rp: { id: 'localhost', name: 'Custos' }, attestation: 'none', excludeCredentials: [] });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });

    const response = authenticator.register(options);
    const view = await service.register(principal, { name: ' YubiKey 5 ', response }, meta);
    expect(view).toEqual({ id: expect.stringMatching(/^pky_/), name: 'YubiKey 5', createdAt: expect.any(String), lastUsedAt: null });

    // The challenge was used up: the same answer again is refused and stores nothing.
    const again = await refusal(service.register(principal, { name: 'Again', response }, meta));
    expect([again.code, again.fieldErrors.map((f) => f.field)]).toEqual([ErrorCode.VALIDATION_FAILED, ['response']]);
    expect(await service.list(principal)).toEqual([view]);

    const now = (await auth.authenticateSession(grant.sessionToken))!;
    expect(now.session).toMatchObject({ hasMfa: true, mfaAt: expect.any(Date) });
    expect((await auth.me(now)).user.mfaEnabled).toBe(true);
    // A second passkey: the options leave out the one registered.
    expect((await service.registrationOptions(now)).excludeCredentials).toEqual([{ id: authenticator.id, transports: ['internal'], type: 'public-key' }]);

    const mfa = await passwordStep(grant.user.email);
    expect(mfa.methods).toEqual(['webauthn']);
    const trail = await auditTrailOf(db, grant.tenant.id);
    expect(trail.find((e) => e.action === 'mfa.enabled')?.data).toMatchObject({ method: 'webauthn', name: 'YubiKey 5', passkeyId: view.id });
  });

  it('refuses a registration made for another origin', async () => {
    const { principal } = await signedUp();
    const options = await service.registrationOptions(principal);
    const response = new SoftwareAuthenticator(origin).register(options, { origin: 'https://phish.example' });
    expect((await refusal(service.register(principal, { name: 'Phished', response }, meta))).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await service.list(principal)).toEqual([]);
  });

  it("completes a log-in with the passkey's assertion, moves its counter, and counts a wrong signature like a wrong code", async () => {
    const { grant, authenticator, view } = await withPasskey();
    const mfa = await passwordStep(grant.user.email);

    // Without options first, there is no challenge to answer.
    const unasked = await refusal(auth.completeMfa({ mfaToken: mfa.mfaToken, webauthn: authenticator.assert({ challenge: 'bm90LWFza2Vk' }) }, meta));
    expect(unasked.code).toBe(ErrorCode.INVALID_MFA);

    const options = await service.loginOptions(mfa.mfaToken);
    expect(options.allowCredentials).toEqual([{ id: authenticator.id, type: 'public-key', transports: ['internal'] }]);
    const forged = await refusal(auth.completeMfa({ mfaToken: mfa.mfaToken, webauthn: authenticator.assert(options, { forge: true }) }, meta));
    expect(forged.code).toBe(ErrorCode.INVALID_MFA);
    expect(throttle.failures.filter((f) => f.email === grant.user.email)).toHaveLength(2);

    const session = await auth.completeMfa({ mfaToken: mfa.mfaToken, webauthn: authenticator.assert(options) }, meta);
    expect(session.user).toMatchObject({ id: grant.user.id, mfaEnabled: true });
    const principal = (await auth.authenticateSession(session.sessionToken))!;
    expect(principal.session?.mfaAt).toEqual(expect.any(Date));
    const [listed] = await service.list(principal);
    expect(listed).toEqual({ ...view, lastUsedAt: expect.any(String) });

    const trail = (await auditTrailOf(db, grant.tenant.id)).map((e) => [e.action, e.data['stage'] ?? e.data['mfa'] ?? null]);
    expect(trail.slice(-4)).toEqual([
      ['auth.mfa_required', null],
      ['auth.mfa_failed', 'login'],
      ['auth.mfa_failed', 'login'],
      ['auth.login_succeeded', 'webauthn'],
    ]);
    // The log-in challenge is gone: its mfaToken does not start another session.
    expect((await refusal(service.loginOptions(mfa.mfaToken))).code).toBe(ErrorCode.INVALID_MFA);
  });

  it('needs a fresh step-up to add or remove a passkey once the person has MFA, and a passkey gives it', async () => {
    const { grant, authenticator, view } = await withPasskey();
    const current = (await auth.authenticateSession(grant.sessionToken))!;
    const stale: Principal = { ...current, session: { ...current.session!, mfaAt: null } };
    expect((await refusal(service.remove(stale, view.id, meta))).code).toBe(ErrorCode.STEP_UP_REQUIRED);
    expect((await refusal(service.registrationOptions(stale))).code).toBe(ErrorCode.STEP_UP_REQUIRED);

    const options = await service.stepUpOptions(stale);
    expect((await refusal(service.stepUp(stale, authenticator.assert(options, { forge: true }), meta))).code).toBe(ErrorCode.INVALID_MFA);
    // The challenge went with the wrong answer: a right one for it is refused as well.
    expect((await refusal(service.stepUp(stale, authenticator.assert(options), meta))).code).toBe(ErrorCode.INVALID_MFA);
    const fresh = await service.stepUpOptions(stale);
    const stepped = await service.stepUp(stale, authenticator.assert(fresh), meta);
    expect(new Date(stepped.stepUpUntil).getTime() - new Date(stepped.mfaAt).getTime()).toBe(600_000);

    const renewed = (await auth.authenticateSession(grant.sessionToken))!;
    await service.remove(renewed, view.id, meta);
    expect(await service.list(renewed)).toEqual([]);
    expect((await auth.authenticateSession(grant.sessionToken))!.session?.hasMfa).toBe(false);
    const actions = (await auditTrailOf(db, grant.tenant.id)).map((e) => e.action);
    expect(actions.slice(-4)).toEqual(['auth.mfa_failed', 'auth.mfa_failed', 'auth.step_up', 'mfa.disabled']);
  });

  it("renames only the person's own passkey", async () => {
    const { principal, view } = await withPasskey('Old name');
    expect(await service.rename(principal, view.id, 'Work laptop', meta)).toMatchObject({ id: view.id, name: 'Work laptop' });
    const other = await signedUp();
    expect((await refusal(service.rename(other.principal, view.id, 'Mine now', meta))).code).toBe(ErrorCode.NOT_FOUND);
  });
});
