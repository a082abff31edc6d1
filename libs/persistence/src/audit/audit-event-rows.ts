import type { ChainedEventBody } from '@custos/domain';

/** An audit_events row as pg returns it (bigints as strings). */
export interface AuditEventRow {
  id: string;
  seq: string | null;
  occurred_at: Date;
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string | null;
  hash: string | null;
}

export const AUDIT_COLUMNS = `id, seq, occurred_at, action, actor_type, actor_id, target_type, target_id, request_id, data, prev_hash, hash`;

/** An event in the chain: its hashed body and its place after the event before it. */
export type SealedAuditEvent = ChainedEventBody & { prevHash: string; hash: string };

/** An event committed but not yet in the chain: everything the hash covers but its seq, which the sealer gives it. */
export interface PendingAuditEvent {
  /** The row's insertion order, which the sealer keeps. */
  id: string;
  body: Omit<ChainedEventBody, 'seq'>;
}

/** The hashed part of an event; the sealer and every verifier must build it the same way. */
export function chainBodyOf(row: AuditEventRow, tenantId: string, seq: number): ChainedEventBody {
  return {
    tenantId,
    seq,
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    actorType: row.actor_type,
    actorId: row.actor_id,
    targetType: row.target_type,
    targetId: row.target_id,
    requestId: row.request_id,
    data: row.data,
  };
}

/** A sealed row (seq, prev_hash and hash set) with its fields in the order the bundle and the API show them. */
export function sealedEventOf(row: AuditEventRow, tenantId: string): SealedAuditEvent {
  return { ...chainBodyOf(row, tenantId, Number(row.seq)), prevHash: row.prev_hash!, hash: row.hash! };
}

export function pendingEventOf(row: AuditEventRow, tenantId: string): PendingAuditEvent {
  return {
    id: row.id,
    body: {
      tenantId,
      occurredAt: row.occurred_at.toISOString(),
      action: row.action,
      actorType: row.actor_type,
      actorId: row.actor_id,
      targetType: row.target_type,
      targetId: row.target_id,
      requestId: row.request_id,
      data: row.data,
    },
  };
}
