import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, ROLE_SCOPES, type Role } from '@custos/contracts';
import { DomainError, newId } from '@custos/domain';
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
import { toUserView, type TenantView, type UserView } from './views';

const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MS = 15 * 60_000;
const SESSION_PREFIX = 'cus_session_';

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

  async login(input: { email: string; password: string }, meta: RequestMeta): Promise<SessionGrant> {
    const found = await this.db.system((tx) =>
      tx.one<{ tenant_id: string }>(`SELECT custos_resolve_login($1) AS tenant_id`, [input.email]),
    );
    const tenantId = found?.tenant_id;
    if (!tenantId) {
      await this.passwords.verifyNobody(input.password);
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is wrong.');
    }
    const user = await this.db.tenant(tenantId, (tx) =>
      tx.manager.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', input).getOne(),
    );
    if (!user) throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is wrong.');
    // The slow hash runs outside any transaction: it must not hold a connection.
    const passwordOk = await this.passwords.verify(user.passwordHash, input.password);
    return this.db.tenant(tenantId, async (tx) => {
      const now = new Date();
      const actor = { type: 'user' as const, id: user.id };
      const target = { type: 'user', id: user.id };
      if (user.lockedUntil && user.lockedUntil > now) {
        await this.audit.record(tx, meta, { action: 'auth.login_failed', actor, target, data: { reason: 'locked' } });
        return { error: new DomainError(ErrorCode.ACCOUNT_LOCKED, 'Too many failed log-ins; try again later.') };
      }
      if (!passwordOk) {
        const failures = user.failedLoginCount + 1;
        const lock = failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MS) : null;
        await tx.manager.update(UserEntity, { tenantId, id: user.id }, {
          failedLoginCount: lock ? 0 : failures,
          lockedUntil: lock,
        });
        await this.audit.record(
          tx,
          meta,
          { action: 'auth.login_failed', actor, target, data: { reason: 'bad_password', failures } },
          ...(lock ? [{ action: 'auth.locked_out', actor: SYSTEM_ACTOR, target, data: { until: lock.toISOString() } }] : []),
        );
        return { error: new DomainError(ErrorCode.INVALID_CREDENTIALS, 'The e-mail or password is wrong.') };
      }
      await tx.manager.update(UserEntity, { tenantId, id: user.id }, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
      user.lastLoginAt = now;
      const tenant = await tx.manager.findOneByOrFail(TenantEntity, { id: tenantId });
      await this.audit.record(tx, meta, { action: 'auth.login_succeeded', actor, target });
      return { grant: await this.startSession(tx, user, { id: tenant.id, name: tenant.name }) };
    }).then((outcome) => {
      // The failure is committed with its audit event before it is reported.
      if ('error' in outcome) throw outcome.error;
      return outcome.grant;
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
    if (!sessionToken.startsWith(SESSION_PREFIX) || sessionToken.length > 100) return null;
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
      lockedUntil: null,
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
    const sessionToken = SESSION_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.settings.sessionTtlSeconds * 1000);
    await tx.rows(
      `INSERT INTO sessions (tenant_id, id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [tenant.id, newId('ses'), user.id, sha256Hex(sessionToken), expiresAt],
    );
    return { user: toUserView(user), tenant, csrfToken: this.csrfTokenFor(sessionToken), sessionToken, expiresAt };
  }
}
