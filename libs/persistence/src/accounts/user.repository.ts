import { Injectable } from '@nestjs/common';
import type { Role } from '@custos/contracts';
import { newId } from '@custos/domain';
import type { Tx } from '../database/database';
import { UserEntity } from '../entities';

/** People of a tenant: every method runs in the caller's tenant transaction, unless it says otherwise. */
@Injectable()
export class UserRepository {
  /**
   * The tenant an e-mail signs in to, in whichever tenant it is (a system transaction: the resolver is
   * SECURITY DEFINER); null when there is none.
   */
  async loginTenantOf(tx: Tx, email: string): Promise<string | null> {
    const found = await tx.one<{ tenant_id: string }>(`SELECT custos_resolve_login($1) AS tenant_id`, [email]);
    return found?.tenant_id || null;
  }

  findByEmail(tx: Tx, email: string): Promise<UserEntity | null> {
    return tx.manager.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findById(tx: Tx, id: string): Promise<UserEntity | null> {
    return tx.manager.findOneBy(UserEntity, { tenantId: tx.tenantId!, id });
  }

  /** Oldest first. */
  list(tx: Tx): Promise<UserEntity[]> {
    return tx.manager.find(UserEntity, { order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async insert(tx: Tx, input: { email: string; passwordHash: string; role: Role; passwordChangeRequired?: boolean }): Promise<UserEntity> {
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
      totpSecretSealed: null,
      totpPendingSecretSealed: null,
      totpEnabledAt: null,
      totpLastStep: null,
      recoveryCodeHashes: [],
      passwordChangeRequired: input.passwordChangeRequired ?? false,
    });
    await tx.manager.insert(UserEntity, user);
    return user;
  }

  /** A successful log-in: the failure count starts afresh. */
  async signedIn(tx: Tx, userId: string, at: Date): Promise<void> {
    await tx.manager.update(UserEntity, { tenantId: tx.tenantId!, id: userId }, { failedLoginCount: 0, lastLoginAt: at });
  }

  /**
   * Counts a failed log-in and returns the account's count with it. The increment is one UPDATE
   * (`SET failed_login_count = failed_login_count + 1`), never read-then-write, so parallel failures
   * each count; the read after it, in the same transaction, sees its own row lock's value.
   */
  async countFailedLogin(tx: Tx, userId: string): Promise<number> {
    const where = { tenantId: tx.tenantId!, id: userId };
    await tx.manager.increment(UserEntity, where, 'failedLoginCount', 1);
    const { failedLoginCount } = await tx.manager.findOneByOrFail(UserEntity, where);
    return failedLoginCount;
  }

  /**
   * Locks a user for a role change or removal; null when there is none. Role changes and removals of
   * one tenant run one at a time: the last-owner rule reads all owners, and two owners demoting each
   * other must not deadlock (they would lock rows in opposite orders).
   */
  async lockForMembershipChange(tx: Tx, userId: string): Promise<UserEntity | null> {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended('custos:users:' || $1, 0))`, [tx.tenantId]);
    const locked = await tx.rows(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    return locked.length > 0 ? tx.manager.findOneBy(UserEntity, { id: userId }) : null;
  }

  /** The tenant's owners, locked until the transaction ends. */
  async lockOwners(tx: Tx): Promise<string[]> {
    const owners = await tx.rows<{ id: string }>(`SELECT id FROM users WHERE role = 'owner' FOR UPDATE`);
    return owners.map((o) => o.id);
  }

  async setRole(tx: Tx, userId: string, role: Role, updatedAt: Date): Promise<void> {
    await tx.manager.update(UserEntity, { tenantId: tx.tenantId!, id: userId }, { role, updatedAt });
  }

  async delete(tx: Tx, userId: string): Promise<void> {
    await tx.manager.delete(UserEntity, { tenantId: tx.tenantId!, id: userId });
  }

  /** Enrolment started: the secret waits for its first code. */
  async setPendingTotp(tx: Tx, userId: string, sealed: string | null): Promise<void> {
    await tx.manager.update(UserEntity, { tenantId: tx.tenantId!, id: userId }, { totpPendingSecretSealed: sealed, updatedAt: new Date() });
  }

  /** Enrolment confirmed (the first code's step counts as used), with a fresh set of recovery codes. */
  async enableTotp(tx: Tx, userId: string, input: { sealed: string; step: number; recoveryCodeHashes: string[]; at: Date }): Promise<void> {
    await tx.manager.update(
      UserEntity,
      { tenantId: tx.tenantId!, id: userId },
      {
        totpSecretSealed: input.sealed,
        totpPendingSecretSealed: null,
        totpEnabledAt: input.at,
        totpLastStep: input.step,
        recoveryCodeHashes: input.recoveryCodeHashes,
        updatedAt: input.at,
      },
    );
  }

  async disableTotp(tx: Tx, userId: string): Promise<void> {
    await tx.manager.update(
      UserEntity,
      { tenantId: tx.tenantId!, id: userId },
      { totpSecretSealed: null, totpPendingSecretSealed: null, totpEnabledAt: null, totpLastStep: null, recoveryCodeHashes: [], updatedAt: new Date() },
    );
  }

  /**
   * Accepts a TOTP time step once: true when it is later than every step accepted before (one UPDATE,
   * so two requests with the same code cannot both pass).
   */
  async acceptTotpStep(tx: Tx, userId: string, step: number): Promise<boolean> {
    const rows = await tx.rows(`UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING 1`, [userId, step]);
    return rows.length === 1;
  }

  /** Uses up a recovery code: true when it was one of the unused ones (one UPDATE: a code is good once). */
  async consumeRecoveryCode(tx: Tx, userId: string, codeHash: string): Promise<boolean> {
    const rows = await tx.rows(
      `UPDATE users SET recovery_code_hashes = array_remove(recovery_code_hashes, $2) WHERE id = $1 AND $2 = ANY (recovery_code_hashes) RETURNING 1`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  async setRecoveryCodes(tx: Tx, userId: string, hashes: string[]): Promise<void> {
    await tx.manager.update(UserEntity, { tenantId: tx.tenantId!, id: userId }, { recoveryCodeHashes: hashes, updatedAt: new Date() });
  }

  /**
   * Notes the country of a sign-in: true when the person had signed in from other countries before but
   * never from this one (their very first country is nothing to alert on).
   */
  async noteSignInCountry(tx: Tx, userId: string, country: string): Promise<boolean> {
    const rows = await tx.rows<{ known: number }>(
      `UPDATE users SET sign_in_countries = array_append(sign_in_countries, $2)
        WHERE id = $1 AND NOT ($2 = ANY (sign_in_countries)) RETURNING cardinality(sign_in_countries) AS known`,
      [userId, country],
    );
    return rows.length === 1 && rows[0]!.known > 1;
  }

  async setPassword(tx: Tx, userId: string, passwordHash: string, changeRequired: boolean): Promise<void> {
    await tx.manager.update(UserEntity, { tenantId: tx.tenantId!, id: userId }, { passwordHash, passwordChangeRequired: changeRequired, updatedAt: new Date() });
  }
}
