import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, ROLE_SCOPES } from '@custos/contracts';
import { DomainError, SESSION_TOKEN_PREFIX, newId } from '@custos/domain';
import { PasswordHasher, TokenHasher, sha256Hex } from '@custos/crypto';
import {
  Database,
  InstallationRepository,
  PolicyRepository,
  SessionRepository,
  TenantRepository,
  UserRepository,
  type Tx,
  type UserEntity,
} from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { LOGIN_THROTTLE, type Lockout, type LoginThrottle } from './login-throttle';
import { userConflict } from './user-conflict';
import { toUserView, type TenantView, type UserView } from './views';

export type AuthUsers = Pick<UserRepository, 'insert' | 'loginTenantOf' | 'findByEmail' | 'findById' | 'signedIn' | 'countFailedLogin'>;
export type AuthSessions = Pick<SessionRepository, 'insert' | 'delete' | 'resolve'>;
export type AuthTenants = Pick<TenantRepository, 'insert' | 'current'>;
export type AuthPolicies = Pick<PolicyRepository, 'insertDefaults'>;
export type AuthInstallation = Pick<InstallationRepository, 'claimOperatorTenant' | 'anyTenant'>;

export interface SessionGrant {
  user: UserView;
  tenant: TenantView;
  csrfToken: string;
  /** Goes into the httpOnly cookie only. */
  sessionToken: string;
  expiresAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly passwords: PasswordHasher,
    private readonly hasher: TokenHasher,
    @Inject(APPLICATION_SETTINGS) private readonly settings: ApplicationSettings,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(UserRepository) private readonly users: AuthUsers,
    @Inject(SessionRepository) private readonly sessions: AuthSessions,
    @Inject(TenantRepository) private readonly tenants: AuthTenants,
    @Inject(PolicyRepository) private readonly policies: AuthPolicies,
    @Inject(InstallationRepository) private readonly installation: AuthInstallation,
  ) {}

  /** Creates a tenant and its owner, and signs the owner in. */
  async signup(
    input: { organization: string; email: string; password: string },
    meta: RequestMeta,
    via: 'signup' | 'bootstrap' = 'signup',
  ): Promise<SessionGrant> {
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
        return this.startSession(tx, user, { id: tenant.id, name: tenant.name });
      });
    } catch (error) {
      throw userConflict(error);
    }
  }

  /** Creates the first tenant from configuration when the database has none. */
  async bootstrap(input: { organization: string; email: string; password: string }): Promise<boolean> {
    if (await this.db.system((tx) => this.installation.anyTenant(tx))) return false;
    await this.signup(input, { requestId: 'bootstrap', ip: null }, 'bootstrap');
    return true;
  }

  /**
   * Signs a person in. Every answer leaves no sooner than `loginMinResponseMs` after the request came
   * in, and unknown e-mails go through the same throttle and the same password hashing as real ones,
   * so neither the answer nor its timing tells whether an account exists or is being throttled.
   */
  async login(input: { email: string; password: string }, meta: RequestMeta): Promise<SessionGrant> {
    const started = Date.now();
    try {
      return await this.attemptLogin(input, meta);
    } finally {
      const left = started + this.settings.loginMinResponseMs - Date.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  private async attemptLogin(input: { email: string; password: string }, meta: RequestMeta): Promise<SessionGrant> {
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
    await this.throttle.succeeded(attempt);
    return this.db.tenant(user.tenantId, async (tx) => {
      const now = new Date();
      await this.users.signedIn(tx, user.id, now);
      user.lastLoginAt = now;
      const tenant = await this.tenants.current(tx);
      const actor = { type: 'user' as const, id: user.id };
      await this.audit.record(tx, meta, { action: 'auth.login_succeeded', actor, target: { type: 'user', id: user.id } });
      return this.startSession(tx, user, { id: tenant.id, name: tenant.name });
    });
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
    data: { reason: 'bad_password' | 'throttled' },
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
    };
  }

  /** The CSRF token is derived from the session, so nothing extra is stored and it dies with it. */
  csrfTokenFor(sessionToken: string): string {
    return this.hasher.derive('csrf', sessionToken);
  }

  async me(principal: Principal): Promise<{ user: UserView; tenant: TenantView }> {
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.users.findById(tx, principal.id);
      const tenant = await this.tenants.current(tx);
      if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
      return { user: toUserView(user), tenant: { id: tenant.id, name: tenant.name } };
    });
  }

  private async startSession(tx: Tx, user: UserEntity, tenant: TenantView): Promise<SessionGrant> {
    const sessionToken = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.sessionTtlSeconds * 1000);
    await this.sessions.insert(tx, { id: newId('ses'), userId: user.id, tokenHash: sha256Hex(sessionToken), expiresAt });
    return { user: toUserView(user), tenant, csrfToken: this.csrfTokenFor(sessionToken), sessionToken, expiresAt };
  }
}
