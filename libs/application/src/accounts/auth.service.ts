import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, ROLE_SCOPES, type LoginMfaMethod } from '@custos/contracts';
import { DomainError, SESSION_TOKEN_PREFIX, assertPasswordAllowed, authPolicyOf, passwordProblems, newId, sessionEnded } from '@custos/domain';
import { PasswordHasher, sha256Hex } from '@custos/crypto';
import {
  Database,
  InstallationRepository,
  LoginChallengeRepository,
  PasskeyRepository,
  PolicyRepository,
  SessionRepository,
  SsoRepository,
  TenantRepository,
  UserRepository,
  type Tx,
  type UserEntity,
} from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { LOGIN_THROTTLE, type Lockout, type LoginThrottle } from './login-throttle';
import { SecondFactor, type MfaProof } from './second-factor';
import { SessionStarter, type SessionGrant, type SessionStart } from './session-starter';
import { SignInAlerts } from './sign-in-alerts';
import { userConflict } from './user-conflict';
import { toUserView, type TenantView, type UserView } from './views';

export type { SessionGrant } from './session-starter';

export type AuthUsers = Pick<UserRepository, 'insert' | 'loginTenantOf' | 'findByEmail' | 'findById' | 'signedIn' | 'countFailedLogin'>;
export type AuthSessions = Pick<SessionRepository, 'delete' | 'resolve' | 'touch'>;
export type AuthTenants = Pick<TenantRepository, 'insert' | 'current'>;
export type AuthPolicies = Pick<PolicyRepository, 'insertDefaults'>;
/** Whether the tenant's enforced SSO refuses this person's password (everyone's but the break-glass owner's). */
export type AuthSsoGate = Pick<SsoRepository, 'passwordRefusedFor'>;
export type AuthInstallation = Pick<InstallationRepository, 'claimOperatorTenant' | 'anyTenant'>;
export type AuthChallenges = Pick<LoginChallengeRepository, 'insert' | 'tenantOf' | 'lock' | 'countAttempt' | 'delete'>;

/** A half-done log-in: the password was right, a second factor is owed. */
export interface MfaChallenge {
  /** One-time; stands for the password check in POST /v1/auth/mfa. Never a session. */
  mfaToken: string;
  methods: LoginMfaMethod[];
  expiresAt: Date;
}

/** What a log-in leads to: a session, or a second factor to give first. */
export type LoginOutcome = { session: SessionGrant } | { mfa: MfaChallenge };

export const MFA_TOKEN_PREFIX = 'cmfa_';
/** A person has five minutes to find their phone. */
const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge takes before the password must be typed again (the throttle counts them too). */
const MFA_CHALLENGE_MAX_ATTEMPTS = 5;
/** A session's last use is written at most this often. */
const SEEN_WRITE_INTERVAL_MS = 60_000;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly passwords: PasswordHasher,
    private readonly sessionStarter: SessionStarter,
    private readonly mfaChecks: SecondFactor,
    private readonly signInAlerts: SignInAlerts,
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(UserRepository) private readonly users: AuthUsers,
    @Inject(SessionRepository) private readonly sessions: AuthSessions,
    @Inject(TenantRepository) private readonly tenants: AuthTenants,
    @Inject(PolicyRepository) private readonly policies: AuthPolicies,
    @Inject(InstallationRepository) private readonly installation: AuthInstallation,
    @Inject(LoginChallengeRepository) private readonly challenges: AuthChallenges,
    @Inject(SsoRepository) private readonly ssoGate: AuthSsoGate,
    @Inject(PasskeyRepository) private readonly passkeys: Pick<PasskeyRepository, 'countOfUser'>,
  ) {}

  /** Creates a tenant and its owner, and signs the owner in. */
  async signup(
    input: { organization: string; email: string; password: string },
    meta: RequestMeta,
    via: 'signup' | 'bootstrap' = 'signup',
  ): Promise<SessionGrant> {
    assertPasswordAllowed(input.password, { email: input.email });
    const passwordHash = await this.passwords.hash(input.password);
    const tenantId = newId('ten');
    try {
      return await this.db.tenant(tenantId, async (tx) => {
        const tenant = await this.tenants.insert(tx, { name: input.organization, createdAt: new Date() });
        await this.policies.insertDefaults(tx);
        const user = await this.users.insert(tx, { email: input.email, passwordHash, role: 'owner' });
        // The bootstrapped tenant runs the installation (the embedded mode's first sign-up too); other
        // sign-ups never do. A bootstrap that finds one named already lost a race: it creates nothing.
        const runsInstallation = (via === 'bootstrap' || this.settings.firstSignupRunsInstallation === true) && (await this.installation.claimOperatorTenant(tx));
        if (via === 'bootstrap' && !runsInstallation) throw new Error('another start bootstrapped this installation meanwhile');
        const actor = { type: 'user' as const, id: user.id };
        await this.audit.record(
          tx,
          meta,
          {
            action: 'tenant.created',
            actor: via === 'bootstrap' ? SYSTEM_ACTOR : actor,
            target: { type: 'tenant', id: tenantId },
            data: { name: tenant.name, via, ...(runsInstallation ? { runsInstallation: true } : {}) },
          },
          { action: 'user.created', actor: via === 'bootstrap' ? SYSTEM_ACTOR : actor, target: { type: 'user', id: user.id }, data: { email: user.email, role: user.role } },
        );
        return this.sessionStarter.start(tx, user, { id: tenant.id, name: tenant.name }, meta, { method: 'signup', mfaVerified: false, hasMfa: false });
      });
    } catch (error) {
      throw userConflict(error);
    }
  }

  /** Creates the first tenant from configuration when the database has none. */
  async bootstrap(input: { organization: string; email: string; password: string }): Promise<boolean> {
    if (await this.db.system((tx) => this.installation.anyTenant(tx))) return false;
    // The operator chose it for themselves: the password rules apply, no change is owed at first log-in.
    const problems = passwordProblems(input.password, { email: input.email });
    if (problems.length > 0) throw new Error(`CUSTOS_ADMIN_PASSWORD ${problems.join('; ')} (docs/security.md#passwords)`);
    await this.signup(input, { requestId: 'bootstrap', ip: null }, 'bootstrap');
    return true;
  }

  /**
   * Signs a person in, or asks for their second factor. Every answer leaves no sooner than
   * `loginMinResponseMs` after the request came in, and unknown e-mails go through the same throttle and
   * the same password hashing as real ones, so neither the answer nor its timing tells whether an
   * account exists or is being throttled.
   */
  async login(input: { email: string; password: string }, meta: RequestMeta): Promise<LoginOutcome> {
    return this.atLeastMinResponse(() => this.attemptLogin(input, meta));
  }

  /** Completes a log-in whose second factor was owed. Wrong codes count toward the same throttle as wrong passwords. */
  async completeMfa(input: { mfaToken: string } & MfaProof, meta: RequestMeta): Promise<SessionGrant> {
    return this.atLeastMinResponse(() => this.attemptMfa(input, meta));
  }

  private async atLeastMinResponse<T>(work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      const left = started + this.settings.loginMinResponseMs - Date.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  private async attemptLogin(input: { email: string; password: string }, meta: RequestMeta): Promise<LoginOutcome> {
    const attempt = { email: input.email, ip: meta.ip };
    const verdict = await this.throttle.attempt(attempt);
    if (!verdict.allowed) {
      const user = await this.findLoginUser(input.email);
      if (user) await this.recordFailure(user, meta, { reason: 'throttled' }, null);
      throw DomainError.rateLimited(verdict.retryAfterMs, 'Too many log-in attempts; try again later.');
    }
    const user = await this.findLoginUser(input.email);
    // The slow hash runs outside any transaction: it must not hold a connection.
    const passwordOk = user
      ? await this.passwords.verify(user.passwordHash, input.password)
      : await this.passwords.verifyNobody(input.password);
    if (!user || !passwordOk) {
      const lockout = await this.throttle.failed(attempt, verdict);
      // The failure is committed with its audit event before it is reported.
      if (user) await this.recordFailure(user, meta, { reason: 'bad_password' }, lockout);
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is wrong.');
    }
    // After the password check: only someone who knows the password learns that SSO is enforced.
    if (await this.db.tenant(user.tenantId, (tx) => this.ssoGate.passwordRefusedFor(tx, user.id))) {
      await this.recordFailure(user, meta, { reason: 'sso_required' }, null);
      throw new DomainError(ErrorCode.FORBIDDEN, 'This organization signs in with SSO: use "Sign in with SSO".');
    }
    const methods = await this.mfaMethodsOf(user);
    if (methods.length > 0) return { mfa: await this.challenge(user, methods, meta) };
    await this.throttle.succeeded(attempt);
    return { session: await this.signIn(user, meta, { method: 'password', mfaVerified: false, hasMfa: false }) };
  }

  /** The second factors a person can answer a log-in challenge with; none: the password is enough. */
  private async mfaMethodsOf(user: UserEntity): Promise<LoginMfaMethod[]> {
    const methods: LoginMfaMethod[] = user.totpSecretSealed !== null ? ['totp', 'recovery_code'] : [];
    const passkeys = await this.db.tenant(user.tenantId, (tx) => this.passkeys.countOfUser(tx, user.id));
    return passkeys > 0 ? [...methods, 'webauthn'] : methods;
  }

  /** The password was right and a second factor is owed: a one-time mfaToken stands for the half-done log-in. */
  private async challenge(user: UserEntity, methods: LoginMfaMethod[], meta: RequestMeta): Promise<MfaChallenge> {
    const mfaToken = MFA_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + MFA_CHALLENGE_TTL_MS);
    await this.db.tenant(user.tenantId, async (tx) => {
      await this.challenges.insert(tx, { id: newId('mfa'), userId: user.id, tokenHash: sha256Hex(mfaToken), expiresAt });
      const actor = { type: 'user' as const, id: user.id };
      await this.audit.record(tx, meta, { action: 'auth.mfa_required', actor, target: { type: 'user', id: user.id }, data: { methods } });
    });
    return { mfaToken, methods, expiresAt };
  }

  private async attemptMfa(input: { mfaToken: string } & MfaProof, meta: RequestMeta): Promise<SessionGrant> {
    const tokenHash = sha256Hex(input.mfaToken);
    const expired = (): DomainError => new DomainError(ErrorCode.INVALID_MFA, 'The log-in has expired, or took too many wrong codes: log in again.');
    const tenantId = input.mfaToken.startsWith(MFA_TOKEN_PREFIX) ? await this.db.system((tx) => this.challenges.tenantOf(tx, tokenHash)) : null;
    if (!tenantId) throw expired();
    const user = await this.db.tenant(tenantId, async (tx) => {
      const challenge = await this.challenges.lock(tx, tokenHash);
      return challenge ? this.users.findById(tx, challenge.userId) : null;
    });
    if (!user) throw expired();
    const attempt = { email: user.email, ip: meta.ip };
    const verdict = await this.throttle.attempt(attempt);
    if (!verdict.allowed) throw DomainError.rateLimited(verdict.retryAfterMs, 'Too many log-in attempts; try again later.');
    const outcome = await this.db.tenant(tenantId, async (tx): Promise<SessionGrant | { failures: number } | null> => {
      const challenge = await this.challenges.lock(tx, tokenHash);
      const current = challenge ? await this.users.findById(tx, challenge.userId) : null;
      if (!challenge || !current) return null;
      const actor = { type: 'user' as const, id: current.id };
      const target = { type: 'user', id: current.id };
      let method: string;
      try {
        // A passkey answers the challenge this log-in was given (POST /v1/auth/mfa/webauthn/options), never one the client names.
        const proof = 'webauthn' in input ? { webauthn: input.webauthn, expectedChallenge: challenge.webauthnChallenge } : input;
        method = await this.mfaChecks.check(tx, current, proof);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== ErrorCode.INVALID_MFA) throw error;
        const failures = challenge.attempts + 1;
        // A challenge takes a few wrong answers, then the password must be typed again.
        if (failures >= MFA_CHALLENGE_MAX_ATTEMPTS) await this.challenges.delete(tx, challenge.id);
        else await this.challenges.countAttempt(tx, challenge.id);
        await this.users.countFailedLogin(tx, current.id);
        await this.audit.record(tx, meta, { action: 'auth.mfa_failed', actor, target, data: { stage: 'login', failures } });
        return { failures };
      }
      await this.challenges.delete(tx, challenge.id);
      return this.startSignedIn(tx, current, meta, { method: 'password', mfaVerified: true, hasMfa: true }, { mfa: method });
    });
    if (outcome === null) throw expired();
    if ('failures' in outcome) {
      await this.throttle.failed(attempt, verdict);
      // The last try ended the challenge: say so now, not at the next try.
      if (outcome.failures >= MFA_CHALLENGE_MAX_ATTEMPTS) throw expired();
      throw new DomainError(ErrorCode.INVALID_MFA, 'The code is wrong or was used already.');
    }
    await this.throttle.succeeded(attempt);
    return outcome;
  }

  /** Signs in a person whose identity is settled (password without MFA, SSO, an accepted invitation). */
  async signIn(user: UserEntity, meta: RequestMeta, how: SessionStart, data: Record<string, unknown> = {}): Promise<SessionGrant> {
    return this.db.tenant(user.tenantId, (tx) => this.startSignedIn(tx, user, meta, how, data));
  }

  /** The sign-in's audit event and its session, in the caller's transaction. */
  async startSignedIn(tx: Tx, user: UserEntity, meta: RequestMeta, how: SessionStart, data: Record<string, unknown> = {}): Promise<SessionGrant> {
    const now = new Date();
    await this.users.signedIn(tx, user.id, now);
    user.lastLoginAt = now;
    const tenant = await this.tenants.current(tx);
    const grant = await this.sessionStarter.start(tx, user, { id: tenant.id, name: tenant.name }, meta, how);
    const actor = { type: 'user' as const, id: user.id };
    await this.audit.record(tx, meta, {
      action: 'auth.login_succeeded',
      actor,
      target: { type: 'user', id: user.id },
      data: { method: how.method, ...data, ...(grant.restriction ? { restriction: grant.restriction } : {}) },
    });
    await this.signInAlerts.signedIn(tx, user, grant.country, meta);
    return grant;
  }

  /** The account an e-mail signs in to, in whichever tenant it is; null when there is none. */
  private async findLoginUser(email: string): Promise<UserEntity | null> {
    const tenantId = await this.db.system((tx) => this.users.loginTenantOf(tx, email));
    if (!tenantId) return null;
    return this.db.tenant(tenantId, (tx) => this.users.findByEmail(tx, email));
  }

  /**
   * Counts a failure on the account (atomically: parallel failures each count) with its audit event,
   * and the lockout it started, if any.
   */
  private async recordFailure(
    user: UserEntity,
    meta: RequestMeta,
    data: { reason: 'bad_password' | 'throttled' | 'sso_required' },
    lockout: Lockout | null,
  ): Promise<void> {
    await this.db.tenant(user.tenantId, async (tx) => {
      const failedLoginCount = await this.users.countFailedLogin(tx, user.id);
      const actor = { type: 'user' as const, id: user.id };
      const target = { type: 'user', id: user.id };
      await this.audit.record(
        tx,
        meta,
        { action: 'auth.login_failed', actor, target, data: { ...data, failures: failedLoginCount } },
        ...(lockout
          ? [{ action: 'auth.locked_out' as const, actor: SYSTEM_ACTOR, target, data: { scope: lockout.scope, until: new Date(lockout.untilMs).toISOString() } }]
          : []),
      );
    });
  }

  async logout(principal: Principal, meta: RequestMeta): Promise<void> {
    const sessionId = principal.sessionId;
    if (!sessionId) return;
    await this.db.tenant(principal.tenantId, async (tx) => {
      await this.sessions.delete(tx, sessionId);
      await this.audit.record(tx, meta, { action: 'auth.logout', actor: { type: 'user', id: principal.id }, target: { type: 'user', id: principal.id } });
    });
  }

  /** Resolves a session cookie to a principal; null when unknown or expired. */
  async authenticateSession(sessionToken: string): Promise<Principal | null> {
    if (!sessionToken.startsWith(SESSION_TOKEN_PREFIX) || sessionToken.length > 100) return null;
    const session = await this.db.system((tx) => this.sessions.resolve(tx, sha256Hex(sessionToken)));
    if (!session) return null;
    const policy = authPolicyOf(session.auth);
    const now = new Date();
    if (sessionEnded(session, policy, now)) return null;
    this.noteSeen(session.tenantId, session.sessionId, session.lastSeenAt, now);
    return {
      tenantId: session.tenantId,
      kind: 'user',
      id: session.userId,
      email: session.email,
      name: null,
      role: session.role,
      scopes: ROLE_SCOPES[session.role],
      ownerServiceId: null,
      sessionId: session.sessionId,
      session: { hasMfa: session.hasMfa, mfaAt: session.mfaAt, restriction: session.restriction, policy },
    };
  }

  /**
   * Keeps a session's last use for its idle limit and its person's list, written at most once a minute
   * per session and off the request's path: a busy dashboard does not write on every request.
   */
  private noteSeen(tenantId: string, sessionId: string, lastSeenAt: Date, now: Date): void {
    if (now.getTime() - lastSeenAt.getTime() < SEEN_WRITE_INTERVAL_MS) return;
    void this.db.tenant(tenantId, (tx) => this.sessions.touch(tx, sessionId, now)).catch((error: unknown) => {
      this.logger.warn(`could not note a session's last use: ${(error as Error).message}`);
    });
  }

  csrfTokenFor(sessionToken: string): string {
    return this.sessionStarter.csrfTokenFor(sessionToken);
  }

  async me(principal: Principal): Promise<{ user: UserView; tenant: TenantView }> {
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.users.findById(tx, principal.id);
      const tenant = await this.tenants.current(tx);
      if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
      return { user: toUserView(user), tenant: { id: tenant.id, name: tenant.name } };
    });
  }
}
