import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, ROLE_SCOPES, type Role } from '@custos/contracts';
import { DomainError, SESSION_TOKEN_PREFIX, newId } from '@custos/domain';
import { PasswordHasher, TokenHasher, sha256Hex } from '@custos/crypto';
import {
  Database,
  PG_UNIQUE_VIOLATION,
  claimOperatorTenant,
  TenantEntity,
  TenantPolicyEntity,
  UserEntity,
  pgErrorCode,
  type Tx,
} from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { APPLICATION_SETTINGS, type ApplicationSettings } from '../shared/settings';
import { LOGIN_THROTTLE, type Lockout, type LoginThrottle } from './login-throttle';
import { toUserView, type TenantView, type UserView } from './views';


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
        const tenant = await tx.manager.save(TenantEntity, { id: tenantId, name: input.organization, createdAt: new Date() });
        await tx.manager.insert(TenantPolicyEntity, { tenantId });
        const user = await this.insertUser(tx, { email: input.email, passwordHash, role: 'owner' });
        // The bootstrapped tenant runs the installation (the embedded mode's first sign-up too); other
        // sign-ups never do. A bootstrap that finds one named already lost a race: it creates nothing.
        const runsInstallation = (via === 'bootstrap' || this.settings.firstSignupRunsInstallation === true) && (await claimOperatorTenant(tx));
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
      throw this.translateUserConflict(error);
    }
  }

  /** Creates the first tenant from configuration when the database has none. */
  async bootstrap(input: { organization: string; email: string; password: string }): Promise<boolean> {
    const exists = await this.db.system((tx) => tx.one<{ exists: boolean }>(`SELECT custos_any_tenant() AS exists`));
    if (exists?.exists) return false;
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
      await tx.manager.update(UserEntity, { tenantId: user.tenantId, id: user.id }, { failedLoginCount: 0, lastLoginAt: now });
      user.lastLoginAt = now;
      const tenant = await tx.manager.findOneByOrFail(TenantEntity, { id: user.tenantId });
      const actor = { type: 'user' as const, id: user.id };
      await this.audit.record(tx, meta, { action: 'auth.login_succeeded', actor, target: { type: 'user', id: user.id } });
      return this.startSession(tx, user, { id: tenant.id, name: tenant.name });
    });
  }

  /** The account an e-mail signs in to, in whichever tenant it is; null when there is none. */
  private async findLoginUser(email: string): Promise<UserEntity | null> {
    const found = await this.db.system((tx) =>
      tx.one<{ tenant_id: string }>(`SELECT custos_resolve_login($1) AS tenant_id`, [email]),
    );
    const tenantId = found?.tenant_id;
    if (!tenantId) return null;
    return this.db.tenant(tenantId, (tx) =>
      tx.manager.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne(),
    );
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
      const where = { tenantId: user.tenantId, id: user.id };
      await tx.manager.increment(UserEntity, where, 'failedLoginCount', 1);
      const { failedLoginCount } = await tx.manager.findOneByOrFail(UserEntity, where);
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
    if (!principal.sessionId) return;
    await this.db.tenant(principal.tenantId, async (tx) => {
      await tx.rows(`DELETE FROM sessions WHERE id = $1`, [principal.sessionId]);
      await this.audit.record(tx, meta, { action: 'auth.logout', actor: { type: 'user', id: principal.id }, target: { type: 'user', id: principal.id } });
    });
  }

  /** Resolves a session cookie to a principal; null when unknown or expired. */
  async authenticateSession(sessionToken: string): Promise<Principal | null> {
    if (!sessionToken.startsWith(SESSION_TOKEN_PREFIX) || sessionToken.length > 100) return null;
    const row = await this.db.system((tx) =>
      tx.one<{ tenant_id: string; session_id: string; user_id: string; role: Role }>(
        `SELECT tenant_id, session_id, user_id, role FROM custos_resolve_session($1)`,
        [sha256Hex(sessionToken)],
      ),
    );
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      kind: 'user',
      id: row.user_id,
      role: row.role,
      scopes: ROLE_SCOPES[row.role],
      ownerServiceId: null,
      sessionId: row.session_id,
    };
  }

  /** The CSRF token is derived from the session, so nothing extra is stored and it dies with it. */
  csrfTokenFor(sessionToken: string): string {
    return this.hasher.derive('csrf', sessionToken);
  }

  async me(principal: Principal): Promise<{ user: UserView; tenant: TenantView }> {
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await tx.manager.findOneBy(UserEntity, { tenantId: principal.tenantId, id: principal.id });
      const tenant = await tx.manager.findOneByOrFail(TenantEntity, { id: principal.tenantId });
      if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
      return { user: toUserView(user), tenant: { id: tenant.id, name: tenant.name } };
    });
  }

  async insertUser(tx: Tx, input: { email: string; passwordHash: string; role: Role }): Promise<UserEntity> {
    const now = new Date();
    const user = tx.manager.create(UserEntity, {
      tenantId: tx.tenantId!,
      id: newId('usr'),
      email: input.email.trim(),
      passwordHash: input.passwordHash,
      role: input.role,
      failedLoginCount: 0,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await tx.manager.insert(UserEntity, user);
    return user;
  }

  translateUserConflict(error: unknown): unknown {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
      return new DomainError(ErrorCode.EMAIL_TAKEN, 'An account with this e-mail already exists.', [
        { field: 'email', message: 'is already registered' },
      ]);
    }
    return error;
  }

  private async startSession(tx: Tx, user: UserEntity, tenant: TenantView): Promise<SessionGrant> {
    const sessionToken = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.sessionTtlSeconds * 1000);
    await tx.rows(
      `INSERT INTO sessions (tenant_id, id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [tenant.id, newId('ses'), user.id, sha256Hex(sessionToken), expiresAt],
    );
    return { user: toUserView(user), tenant, csrfToken: this.csrfTokenFor(sessionToken), sessionToken, expiresAt };
  }
}
