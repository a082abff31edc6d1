import type { Role } from '@custos/contracts';
import { Column, Entity, PrimaryColumn, VirtualColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') email!: string;
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @Column('text') role!: Role;
  @Column('integer', { name: 'failed_login_count', default: 0 }) failedLoginCount!: number;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt!: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt!: Date;
  /** Sealed (SecretBox, purpose 'totp'); null until enrolment is confirmed with a first code. */
  @Column('text', { name: 'totp_secret_sealed', nullable: true }) totpSecretSealed!: string | null;
  @Column('text', { name: 'totp_pending_secret_sealed', nullable: true }) totpPendingSecretSealed!: string | null;
  @Column('timestamptz', { name: 'totp_enabled_at', nullable: true }) totpEnabledAt!: Date | null;
  /** The last TOTP time step accepted: a code of that step or an earlier one is refused (no replay). */
  @Column('bigint', { name: 'totp_last_step', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  totpLastStep!: number | null;
  /** SHA-256 (keyed) of each unused recovery code. */
  @Column('text', { name: 'recovery_code_hashes', array: true, default: () => "'{}'" }) recoveryCodeHashes!: string[];
  @Column('boolean', { name: 'password_change_required', default: false }) passwordChangeRequired!: boolean;
  /** Read with the user (a subquery, never stored): the person has at least one passkey. Undefined on a user just inserted (none yet). */
  @VirtualColumn({
    type: 'boolean',
    query: (alias) => `SELECT EXISTS (SELECT 1 FROM webauthn_credentials w WHERE w.tenant_id = ${alias}.tenant_id AND w.user_id = ${alias}.id)`,
  })
  hasPasskey?: boolean;
}

@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text', { name: 'user_id' }) userId!: string;
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
}
