import type { AuditAction } from '@custos/contracts';
import { Injectable } from '@nestjs/common';
import type { ChainPosition } from '@custos/domain';
import type { Tx } from '../database/database';
import { limitOf } from '../database/sql-limit';
import {
  AUDIT_COLUMNS,
  pendingEventOf,
  sealedEventOf,
  type AuditEventRow,
  type PendingAuditEvent,
  type SealedAuditEvent,
} from './audit-event-rows';
import { webhookOutbox } from './webhook-outbox';

/**
 * A change to run in the statement that writes its audit events (`WITH change AS (…) INSERT INTO
 * audit_events …`), its parameters numbered from $1.
 */
export interface ChangeStatement {
  sql: string;
  params: unknown[];
  /** Its text is the same whatever the values: the statement with its events is then prepared. */
  fixedText?: true;
}

/** What an event is written from: the application's audit entry, of which only these fields are stored. */
export interface AuditEventDraft {
  action: AuditAction;
  actor: { type: string; id: string | null };
  target?: { type: string; id: string } | undefined;
  /** For the event's webhook payload only, never stored with the event. */
  webhookData?: Record<string, unknown> | undefined;
}

/** Events of one write: one occurredAt for all, and per entry its request id and data (the request's ip merged in). */
export interface NewAuditEvents {
  occurredAt: string;
  entries: readonly AuditEventDraft[];
  requestIds: readonly (string | null)[];
  data: readonly Record<string, unknown>[];
}

/** Sequence numbers and hashes of events linked into the chain after a locked head, and the head after them. */
export interface ChainLinks {
  seqs: number[];
  prevs: string[];
  hashes: string[];
  head: ChainPosition;
}

/** Filters of the audit trail's list, all optional; `beforeSeq` is the keyset cursor. */
export interface AuditEventFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  /** Events of every account that had this e-mail (case-insensitive), removed ones included. */
  actorEmail?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeSeq?: number | undefined;
}


/**
 * SQL of the audit events (docs/audit-chain.md): the append in the caller's transaction, with the change
 * it records and its webhook outbox in one statement; sealing; and the reads of the sealed chain. Every
 * method but tenantsWithUnsealed runs in a tenant transaction, row-level security scoping it.
 */
@Injectable()
export class AuditEventRepository {
  /**
   * Writes the events, with `change` before them in the same statement when given. With `links` they
   * are written sealed and the tenant's head (which the caller holds) moves to `links.head` in that
   * statement too; without, they go in unsealed, for the sealer. The webhook deliveries announcing them
   * join the statement (an outbox: they commit with the change).
   */
  async insert(tx: Tx, events: NewAuditEvents, change: ChangeStatement | null, links: ChainLinks | null): Promise<void> {
    const { occurredAt, entries, requestIds, data } = events;
    const offset = change?.params.length ?? 0;
    const p = (i: number) => `$${offset + i}`;
    const params: unknown[] = [
      tx.tenantId,
      occurredAt,
      requestIds,
      entries.map((e) => e.action),
      entries.map((e) => e.actor.type),
      entries.map((e) => e.actor.id),
      entries.map((e) => e.target?.type ?? null),
      entries.map((e) => e.target?.id ?? null),
      data.map((d) => JSON.stringify(d)),
    ];
    let insert = `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, actor_id, target_type, target_id, request_id, data)
       SELECT ${p(1)}, ${p(2)}, e.action, e.actor_type, e.actor_id, e.target_type, e.target_id, e.request_id, e.data
         FROM unnest(${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::jsonb[],
                     ${p(3)}::text[])
           AS e(action, actor_type, actor_id, target_type, target_id, data, request_id)`;
    const sealing: string[] = [];
    if (links) {
      params.push(links.seqs, links.prevs, links.hashes, links.head.seq, links.head.hash);
      insert = `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, actor_id, target_type, target_id, request_id, data,
                                 seq, prev_hash, hash)
       SELECT ${p(1)}, ${p(2)}, e.action, e.actor_type, e.actor_id, e.target_type, e.target_id, e.request_id, e.data, e.seq,
              e.prev_hash, e.hash
         FROM unnest(${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::jsonb[],
                     ${p(10)}::bigint[], ${p(11)}::text[], ${p(12)}::text[], ${p(3)}::text[])
           AS e(action, actor_type, actor_id, target_type, target_id, data, seq, prev_hash, hash, request_id)`;
      sealing.push(`head AS (UPDATE audit_heads SET seq = ${p(13)}, hash = ${p(14)} WHERE tenant_id = ${p(1)})`);
    }
    // Webhook deliveries announcing these events join the same statement (an outbox: they commit with
    // the change); entries no webhook event announces add nothing.
    const outbox = webhookOutbox(
      entries,
      { tenantId: p(1), actions: p(4), actorTypes: p(5), actorIds: p(6), targetTypes: p(7), targetIds: p(8), data: p(9) },
      offset + params.length + 1,
      occurredAt,
    );
    // The audit statement's own text depends only on its shape (sealed, webhooks), not on the events.
    const prepare = !change || change.fixedText === true;
    if (!change && !outbox && sealing.length === 0) {
      await tx.rows(insert, params, { prepare });
      return;
    }
    const ctes = [...(change ? [`change AS (${change.sql})`] : []), `audit AS (${insert})`, ...sealing, ...(outbox?.ctes ?? [])];
    await tx.rows(`WITH ${ctes.join(', ')} SELECT 1`, [...(change?.params ?? []), ...params, ...(outbox?.params ?? [])], { prepare });
  }

  /** The tenant's committed, unsealed events in insertion order, at most `limit`. */
  async unsealed(tx: Tx, limit: number): Promise<PendingAuditEvent[]> {
    const tenantId = tx.tenantId!;
    const rows = await tx.rows<AuditEventRow>(
      `SELECT ${AUDIT_COLUMNS}
         FROM audit_events WHERE tenant_id = $1 AND seq IS NULL ORDER BY id LIMIT ${limitOf(limit)}`,
      [tenantId],
    );
    return rows.map((row) => pendingEventOf(row, tenantId));
  }

  /** Gives the events `ids` their place in the chain (`links`) and moves the tenant's head, which the caller holds, after them. */
  async seal(tx: Tx, ids: string[], links: ChainLinks): Promise<void> {
    await tx.rows(
      `WITH sealed AS (
         UPDATE audit_events e SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
           FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS s(id, seq, prev_hash, hash)
          WHERE e.tenant_id = $1 AND e.id = s.id)
       UPDATE audit_heads SET seq = $6, hash = $7 WHERE tenant_id = $1`,
      [tx.tenantId, ids, links.seqs, links.prevs, links.hashes, links.head.seq, links.head.hash],
    );
  }

  /** Up to 1000 tenants with unsealed events, across tenants (a system transaction). */
  async tenantsWithUnsealed(tx: Tx): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_unsealed_audit(1000) AS t`);
    return rows.map((r) => r.t);
  }

  /** Sealed events matching `filter`, newest first, at most `limit` (one more than a page tells there is a next). */
  async search(tx: Tx, filter: AuditEventFilter, limit: number): Promise<SealedAuditEvent[]> {
    const where = ['seq IS NOT NULL'];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.action) add('action = ?', filter.action);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.actorEmail) add('actor_id IN (SELECT id FROM people WHERE lower(email) = lower(?))', filter.actorEmail);
    if (filter.targetId) add('target_id = ?', filter.targetId);
    if (filter.from) add('occurred_at >= ?', filter.from);
    if (filter.to) add('occurred_at < ?', filter.to);
    if (filter.beforeSeq !== undefined) add('seq < ?', filter.beforeSeq);
    const rows = await tx.rows<AuditEventRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${limitOf(limit)}`,
      params,
    );
    return rows.map((row) => sealedEventOf(row, tx.tenantId!));
  }

  /** Sealed events after `afterSeq`, in seq order, at most `limit`. */
  async sealedAfter(tx: Tx, afterSeq: number, limit: number): Promise<SealedAuditEvent[]> {
    const rows = await tx.rows<AuditEventRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT ${limitOf(limit)}`,
      [afterSeq],
    );
    return rows.map((row) => sealedEventOf(row, tx.tenantId!));
  }

  /** Sealed events after `afterSeq` and up to `lastSeq`, in seq order, at most `limit`. */
  async sealedBetween(tx: Tx, afterSeq: number, lastSeq: number, limit: number): Promise<SealedAuditEvent[]> {
    const rows = await tx.rows<AuditEventRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${limitOf(limit)}`,
      [afterSeq, lastSeq],
    );
    return rows.map((row) => sealedEventOf(row, tx.tenantId!));
  }

  /** The first sealed event (lowest seq) that occurred at or after `from` (of all, without), with the hash before it. */
  async firstSealedFrom(tx: Tx, from: Date | undefined): Promise<{ seq: number; prevHash: string } | undefined> {
    const row = await tx.one<{ seq: string; prev_hash: string }>(
      `SELECT seq, prev_hash FROM audit_events WHERE seq IS NOT NULL ${from ? 'AND occurred_at >= $1' : ''}
          ORDER BY seq LIMIT 1`,
      from ? [from] : [],
    );
    return row && { seq: Number(row.seq), prevHash: row.prev_hash };
  }

  /** The seq of the last sealed event (highest seq) that occurred before `to` (of all, without). */
  async lastSealedBefore(tx: Tx, to: Date | undefined): Promise<number | undefined> {
    const row = await tx.one<{ seq: string }>(
      `SELECT seq FROM audit_events WHERE seq IS NOT NULL ${to ? 'AND occurred_at < $1' : ''} ORDER BY seq DESC LIMIT 1`,
      to ? [to] : [],
    );
    return row && Number(row.seq);
  }
}
