import { Column, Entity, PrimaryColumn } from 'typeorm';

/** JWK members are strings, plus key_ops (string[]) and ext (boolean). */
export type JwkObject = Record<string, string | string[] | boolean>;

@Entity('services')
export class ServiceEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text', { name: 'owner_contact', nullable: true }) ownerContact!: string | null;
  @Column('text', { name: 'allowed_scopes', array: true, default: () => `'{}'` }) allowedScopes!: string[];
  @Column('jsonb', { name: 'public_jwk', nullable: true }) publicJwk!: JwkObject | null;
  @Column('text', { name: 'created_by', nullable: true }) createdBy!: string | null;
  /** The user accountable for it; when none is named on insert, the database gives the default (migration 1765800000000). */
  @Column('text', { name: 'steward_user_id', nullable: true }) stewardUserId!: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt!: Date;
}
