import { Injectable } from '@nestjs/common';
import type { AuditAction } from '@custos/contracts';
import { chainHash, type ChainPosition } from '@custos/domain';
import type { Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditSealer, type ChainHead } from './audit-sealer';
import { webhookOutbox } from '../webhooks/webhook-outbox';

export interface AuditActor {
  type: 'user' | 'service_key' | 'system' | 'anonymous';
  id: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor;
  target?: { type: string; id: string } | undefined;
  data?: Record<string, unknown>;
  /** Extra fields for the event's webhook payload only, never for the audit trail (e.g. a JWE). */
  webhookData?: Record<string, unknown>;
  /** The request this event belongs to, when one statement writes the events of several (a batch). */
  meta?: RequestMeta;
}

export function actorOf(principal: Principal): AuditActor {
  return { type: principal.kind, id: principal.id };
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null };

/**
 * Writes audit events inside the caller's transaction: no audit, no change. Events are inserted
 * unsealed; the sealer gives them their sequence number and hash right after commit, so concurrent
 * writers of one tenant never wait on each other for the chain (see docs/audit-chain.md).
 */
@Injectable()
export class AuditLog {
  constructor(private readonly sealer: AuditSealer) {}

  async record(tx: Tx, meta: RequestMeta, ...entries: AuditEntry[]): Promise<void> {
    if (entries.length > 0) await this.recordWith(tx, meta, null, ...entries);
  }

  /**
   * The change and its events in one statement (`WITH change AS (…) INSERT INTO audit_events …`): one
   * round trip instead of two on hot paths. Postgres runs a data-modifying WITH to completion whether
   * or not the outer statement reads it.
   */
  async recordWith(
    tx: Tx,
    meta: RequestMeta,
    change: { sql: string; params: unknown[] } | null,
    ...entries: AuditEntry[]
  ): Promise<void> {
    await this.write(tx, meta, change, entries, null);
  }

  /**
   * As recordWith, but when no one else holds the tenant's chain head at this moment, the events are
   * written already sealed and the head moves in the same statement: no sealing transaction after
   * commit. When the head is busy (a sweep or a sealer at work) it does not wait: the events go in
   * unsealed, for the sealer, as usual; so they do when the head contradicts the latest checkpoint
   * (checked in the statement that locks it). For a writer whose transactions are short (an issue batch).
   */
  async recordSealedIfFree(
    tx: Tx,
    meta: RequestMeta,
    change: { sql: string; params: unknown[] } | null,
    ...entries: AuditEntry[]
  ): Promise<void> {
    const head = await this.sealer.lockHeadIfFree(tx);
    await this.write(tx, meta, change, entries, head && !this.sealer.refusal(tx, head) ? head : null);
  }

  /**
   * Locks the tenant's chain head for a bulk writer that seals its own events as it writes them
   * (recordSealed), so a sweep of a million tokens writes each event once instead of writing and then
   * sealing it. With `skipLocked`, answers null when another bulk writer is at work in this tenant
   * (a transaction-scoped advisory lock: a row lock cannot be skipped while the head row may still have
   * to be created), so a sweep moves on to another tenant rather than queue behind it. A sealer holding
   * the head is only waited for: its transactions are short.
   */
  async lockChainHead(tx: Tx, options: { skipLocked: boolean }): Promise<ChainHead | null> {
    if (options.skipLocked) {
      const claimed = await tx.one<{ ok: boolean }>(
        `SELECT pg_try_advisory_xact_lock(hashtextextended('custos.chain-writer:' || $1, 0)) AS ok`,
        [requireTenant(tx)],
      );
      if (!claimed?.ok) return null;
    }
    return this.sealer.lockHead(tx);
  }

  /**
   * Writes events already linked into the chain after `head` (locked by lockChainHead), and moves the
   * head; answers the head after them, for further sealed writes in this transaction. Onto a head that
   * contradicts the latest checkpoint, writes them unsealed instead (and the head stays where it was).
   */
  async recordSealed(tx: Tx, head: ChainHead, meta: RequestMeta, ...entries: AuditEntry[]): Promise<ChainHead> {
    if (entries.length === 0) return head;
    const moved = await this.write(tx, meta, null, entries, this.sealer.refusal(tx, head) ? null : head);
    return moved ? { ...head, ...moved } : head;
  }

  private async write(
    tx: Tx,
    meta: RequestMeta,
    change: { sql: string; params: unknown[] } | null,
    entries: readonly AuditEntry[],
    head: ChainPosition | null,
  ): Promise<ChainPosition | null> {
    if (entries.length === 0) throw new Error('a change needs its audit event');
    const tenantId = requireTenant(tx);
    const offset = change?.params.length ?? 0;
    const p = (i: number) => `$${offset + i}`;
    const occurredAt = new Date().toISOString();
    const metas = entries.map((e) => e.meta ?? meta);
    const data = entries.map((e, i) => ({ ...(e.data ?? {}), ...(metas[i]!.ip ? { ip: metas[i]!.ip } : {}) }));
    const requestIds = metas.map((m) => m.requestId);
    const params: unknown[] = [
      tenantId,
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
    let moved: ChainPosition | null = null;
    if (head) {
      const chain = linkIntoChain(head, tenantId, occurredAt, requestIds, entries, data);
      moved = chain.head;
      params.push(chain.seqs, chain.prevs, chain.hashes, chain.head.seq, chain.head.hash);
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
    if (!head) tx.afterCommit(() => this.sealer.requestSeal(tenantId));
    if (!change && !outbox && sealing.length === 0) {
      await tx.rows(insert, params);
      return moved;
    }
    const ctes = [...(change ? [`change AS (${change.sql})`] : []), `audit AS (${insert})`, ...sealing, ...(outbox?.ctes ?? [])];
    await tx.rows(`WITH ${ctes.join(', ')} SELECT 1`, [...(change?.params ?? []), ...params, ...(outbox?.params ?? [])]);
    return moved;
  }
}

/** Sequence numbers and hashes for events about to be written after `head`, as the sealer would give them. */
function linkIntoChain(
  head: ChainPosition,
  tenantId: string,
  occurredAt: string,
  requestIds: readonly (string | null)[],
  entries: readonly AuditEntry[],
  data: readonly Record<string, unknown>[],
): { seqs: number[]; prevs: string[]; hashes: string[]; head: ChainPosition } {
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  let { seq, hash } = head;
  entries.forEach((e, i) => {
    seq += 1;
    prevs.push(hash);
    hash = chainHash(hash, {
      tenantId,
      seq,
      occurredAt,
      action: e.action,
      actorType: e.actor.type,
      actorId: e.actor.id,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      requestId: requestIds[i]!,
      data: data[i]!,
    });
    seqs.push(seq);
    hashes.push(hash);
  });
  return { seqs, prevs, hashes, head: { seq, hash } };
}

function requireTenant(tx: Tx): string {
  if (!tx.tenantId) throw new Error('audit events belong to a tenant transaction');
  return tx.tenantId;
}
