import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { SecretBox, newTotpSecret, totpStepOf, totpUri } from '@custos/crypto';
import { Database, SessionRepository, TenantRepository, UserRepository, type Tx, type UserEntity } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { LOGIN_THROTTLE, type LoginThrottle } from './login-throttle';
import { SecondFactor, TOTP_SEAL_PURPOSE, totpSealContext, type MfaProof } from './second-factor';

/** Ten recovery codes: enough for a lost phone and a few mistakes, few enough to keep on paper. */
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A person's second factors as they see them. */
export interface MfaStatus {
  totp: { enabled: boolean; enabledAt: string | null; pending: boolean };
  recoveryCodesLeft: number;
}

export type MfaUsers = Pick<
  UserRepository,
  'findById' | 'setPendingTotp' | 'enableTotp' | 'disableTotp' | 'setRecoveryCodes' | 'countFailedLogin'
>;

/** `k7m2-p9xq-4tnv`: no 0/o, 1/l look-alikes. */
function newRecoveryCode(): string {
  const chars = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/**
 * A person's own second factors: TOTP enrolment (the secret is sealed and waits for a first code before
 * it counts), recovery codes (shown once, kept as keyed hashes), and step-up (a fresh MFA check for a
 * sensitive action). Wrong codes count toward the log-in throttle of the person's account.
 */
@Injectable()
export class MfaService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    private readonly secondFactor: SecondFactor,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(UserRepository) private readonly users: MfaUsers,
    @Inject(SessionRepository) private readonly sessions: Pick<SessionRepository, 'lift' | 'steppedUp'>,
    @Inject(TenantRepository) private readonly tenants: Pick<TenantRepository, 'current'>,
  ) {}

  async status(principal: Principal): Promise<MfaStatus> {
    if (principal.kind !== 'user') throw DomainError.forbidden('Second factors belong to people, not service keys.');
    const user = await this.db.tenant(principal.tenantId, (tx) => this.person(tx, principal));
    return {
      totp: { enabled: user.totpEnabledAt !== null, enabledAt: user.totpEnabledAt?.toISOString() ?? null, pending: user.totpPendingSecretSealed !== null },
      recoveryCodesLeft: user.recoveryCodeHashes.length,
    };
  }

  /** Starts (or restarts) TOTP enrolment: the secret is shown now, for the app to scan, and counts once confirmed. */
  async enrolTotp(principal: Principal, meta: RequestMeta): Promise<{ secret: string; otpauthUri: string }> {
    if (principal.kind !== 'user') throw DomainError.forbidden('Second factors belong to people, not service keys.');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.person(tx, principal);
      if (user.totpEnabledAt !== null) throw new DomainError(ErrorCode.CONFLICT, 'TOTP is on already: remove it first to enrol another app.');
      const secret = newTotpSecret();
      await this.users.setPendingTotp(tx, user.id, this.box.seal(TOTP_SEAL_PURPOSE, totpSealContext(user), secret));
      await this.audit.record(tx, meta, { action: 'mfa.enrolment_started', actor: actorOf(principal), target: { type: 'user', id: user.id }, data: { method: 'totp' } });
      const tenant = await this.tenants.current(tx);
      return { secret, otpauthUri: totpUri(secret, user.email, `Custos (${tenant.name})`) };
    });
  }

  /** The first code proves the app holds the secret: TOTP is on, and the recovery codes are shown this once. */
  async confirmTotp(principal: Principal, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    return this.guarded(principal, meta, 'enrol', async (tx, user) => {
      if (user.totpEnabledAt !== null) throw new DomainError(ErrorCode.CONFLICT, 'TOTP is on already.');
      if (user.totpPendingSecretSealed === null) throw new DomainError(ErrorCode.CONFLICT, 'Start enrolment first: POST /v1/me/mfa/totp.');
      const secret = this.box.open(TOTP_SEAL_PURPOSE, totpSealContext(user), user.totpPendingSecretSealed);
      const now = new Date();
      const step = totpStepOf(secret, code.trim(), now);
      if (step === null) throw new DomainError(ErrorCode.INVALID_MFA, 'The code is wrong: check the app shows the account just added.');
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await this.users.enableTotp(tx, user.id, {
        sealed: user.totpPendingSecretSealed,
        step,
        recoveryCodeHashes: recoveryCodes.map((c) => this.secondFactor.recoveryCodeHash(c)),
        at: now,
      });
      await this.sessions.lift(tx, user.id, 'mfa_enrolment');
      // The person just proved the factor: this session's step-up is fresh.
      if (principal.sessionId) await this.sessions.steppedUp(tx, principal.sessionId, now);
      await this.audit.record(tx, meta, { action: 'mfa.enabled', actor: actorOf(principal), target: { type: 'user', id: user.id }, data: { method: 'totp' } });
      return { recoveryCodes };
    });
  }

  /** Removing TOTP takes a current code (or a recovery code): a session left open must not turn MFA off. */
  async removeTotp(principal: Principal, proof: MfaProof, meta: RequestMeta): Promise<void> {
    await this.guarded(principal, meta, 'remove', async (tx, user) => {
      if (user.totpEnabledAt === null) throw new DomainError(ErrorCode.CONFLICT, 'TOTP is not on.');
      await this.secondFactor.check(tx, user, proof);
      await this.users.disableTotp(tx, user.id);
      await this.audit.record(tx, meta, { action: 'mfa.disabled', actor: actorOf(principal), target: { type: 'user', id: user.id }, data: { method: 'totp' } });
    });
  }

  /** A new set of recovery codes replaces every unused one. */
  async regenerateRecoveryCodes(principal: Principal, proof: MfaProof, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    return this.guarded(principal, meta, 'recovery_codes', async (tx, user) => {
      if (user.totpEnabledAt === null) throw new DomainError(ErrorCode.CONFLICT, 'Recovery codes come with TOTP: enrol it first.');
      await this.secondFactor.check(tx, user, proof);
      const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await this.users.setRecoveryCodes(tx, user.id, recoveryCodes.map((c) => this.secondFactor.recoveryCodeHash(c)));
      await this.audit.record(tx, meta, { action: 'mfa.recovery_codes_regenerated', actor: actorOf(principal), target: { type: 'user', id: user.id } });
      return { recoveryCodes };
    });
  }

  /** A fresh MFA check for this session: sensitive actions are allowed for the policy's step-up window. */
  async stepUp(principal: Principal, proof: MfaProof, meta: RequestMeta): Promise<{ mfaAt: string; stepUpUntil: string }> {
    const sessionId = principal.sessionId;
    if (principal.kind !== 'user' || !sessionId || !principal.session) throw DomainError.forbidden('Step-up is for people signed in to the dashboard.');
    const policy = principal.session.policy;
    return this.guarded(principal, meta, 'step_up', async (tx, user) => {
      const method = await this.secondFactor.check(tx, user, proof);
      const now = new Date();
      await this.sessions.steppedUp(tx, sessionId, now);
      await this.audit.record(tx, meta, { action: 'auth.step_up', actor: actorOf(principal), target: { type: 'user', id: user.id }, data: { method } });
      return { mfaAt: now.toISOString(), stepUpUntil: new Date(now.getTime() + policy.stepUpSeconds * 1000).toISOString() };
    });
  }

  /**
   * Runs a code check through the log-in throttle of the person's account: a wrong code is committed as
   * a failure (with auth.mfa_failed) before it is reported, so guessing a code is as slow as a password.
   */
  private async guarded<T>(principal: Principal, meta: RequestMeta, stage: string, work: (tx: Tx, user: UserEntity) => Promise<T>): Promise<T> {
    if (principal.kind !== 'user') throw DomainError.forbidden('Second factors belong to people, not service keys.');
    const attempt = { email: principal.email ?? principal.id, ip: meta.ip };
    const verdict = await this.throttle.attempt(attempt);
    if (!verdict.allowed) throw DomainError.rateLimited(verdict.retryAfterMs, 'Too many wrong codes; try again later.');
    try {
      const result = await this.db.tenant(principal.tenantId, async (tx) => work(tx, await this.person(tx, principal)));
      await this.throttle.succeeded(attempt);
      return result;
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.INVALID_MFA) {
        await this.throttle.failed(attempt, verdict);
        await this.db.tenant(principal.tenantId, async (tx) => {
          const failures = await this.users.countFailedLogin(tx, principal.id);
          const target = { type: 'user', id: principal.id };
          await this.audit.record(tx, meta, { action: 'auth.mfa_failed', actor: actorOf(principal), target, data: { stage, failures } });
        });
      }
      throw error;
    }
  }

  private async person(tx: Tx, principal: Principal): Promise<UserEntity> {
    const user = await this.users.findById(tx, principal.id);
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
    return user;
  }
}
