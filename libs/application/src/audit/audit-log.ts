import { Inject, Injectable } from '@nestjs/common';
import type { AuditAction } from '@custos/contracts';
import { chainHash, networkOf, type ChainPosition } from '@custos/domain';
import { AuditChainRepository, AuditEventRepository, type ChainLinks, type ChangeStatement, type Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditSealer, type ChainHead } from './audit-sealer';

/** The append of events (with the change they record and their webhook outbox, in one statement). */
export type AuditEventWrites = Pick<AuditEventRepository, 'insert'>;
/** The claim a bulk writer takes on a tenant's chain. */
export type ChainWriterClaims = Pick<AuditChainRepository, 'tryClaimWriter'>;

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
  constructor(
    private readonly sealer: AuditSealer,
    @Inject(AuditEventRepository) private readonly events: AuditEventWrites,
    @Inject(AuditChainRepository) private readonly chain: ChainWriterClaims,
  ) {}

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
    change: ChangeStatement | null,
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
    change: ChangeStatement | null,
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
      requireTenant(tx);
      if (!(await this.chain.tryClaimWriter(tx))) return null;
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
    change: ChangeStatement | null,
    entries: readonly AuditEntry[],
    head: ChainPosition | null,
  ): Promise<ChainPosition | null> {
    if (entries.length === 0) throw new Error('a change needs its audit event');
    const tenantId = requireTenant(tx);
    const occurredAt = new Date().toISOString();
    const metas = entries.map((e) => e.meta ?? meta);
    // An address is personal data: the trail keeps the network the change came from, as usage events do.
    const data = entries.map((e, i) => {
      const network = networkOf(metas[i]!.ip);
      return { ...(e.data ?? {}), ...(network ? { ipNetwork: network } : {}) };
    });
    const requestIds = metas.map((m) => m.requestId);
    const links = head ? linkIntoChain(head, tenantId, occurredAt, requestIds, entries, data) : null;
    if (!head) tx.afterCommit(() => this.sealer.requestSeal(tenantId));
    await this.events.insert(tx, { occurredAt, entries, requestIds, data }, change, links);
    return links?.head ?? null;
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
): ChainLinks {
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
