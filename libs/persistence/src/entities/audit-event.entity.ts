import { Column, Entity, PrimaryColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('bigint', { transformer: bigintAsNumber }) id!: number;
  @Column('bigint', { nullable: true, transformer: bigintAsNumber }) seq!: number | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('text') action!: string;
  @Column('text', { name: 'actor_type' }) actorType!: string;
  @Column('text', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'target_type', nullable: true }) targetType!: string | null;
  @Column('text', { name: 'target_id', nullable: true }) targetId!: string | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId!: string | null;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('text', { name: 'prev_hash', nullable: true }) prevHash!: string | null;
  @Column('text', { nullable: true }) hash!: string | null;
}

@Entity('audit_heads')
export class AuditHeadEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('bigint', { transformer: bigintAsNumber }) seq!: number;
  @Column('text') hash!: string;
}
