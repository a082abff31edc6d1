import { Inject, Injectable } from '@nestjs/common';
import { CHECKPOINT_JWS_TYPE, ErrorCode, type CheckpointPayload } from '@custos/contracts';
import { signJws } from '@custos/crypto';
import { ChainHeadContradiction, DomainError, checkpointDue, checkpointPayloadJson, newId, type CheckpointRules } from '@custos/domain';
import { AuditChainRepository, Database, type StoredCheckpoint, type Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { AuditLog, SYSTEM_ACTOR, actorOf, type AuditActor, type AuditEntry } from './audit-log';
import { AuditSealer, type ChainHead } from './audit-sealer';
import { SigningKeys } from './signing-keys';

/** A signed checkpoint of a tenant's chain head, as the API and the export bundle show it. */
export interface CheckpointView {
  id: string;
  seq: number;
  hash: string;
  at: string;
  /** The previous checkpoint's id; null for the tenant's first. */
  prev: string | null;
  kid: string;
  /** Compact JWS (ES256) over `{id, tenantId, seq, hash, at, prev}` (RFC 8785 JSON). */
  jws: string;
}

export function toCheckpointView(checkpoint: StoredCheckpoint): CheckpointView {
  const { id, seq, hash, at, prev, kid, jws } = checkpoint;
  return { id, seq, hash, at: at.toISOString(), prev, kid, jws };
}

/** The checkpoints: the latest to link a new one to, the new one, the list, and the tenants due one. */
export type CheckpointStore = Pick<AuditChainRepository, 'latestCheckpoint' | 'insertCheckpoint' | 'newestCheckpoints' | 'tenantsDueCheckpoint'>;

const TENANT_PAGE = 100;
const SYSTEM_META: RequestMeta = { requestId: null, ip: null };

/**
 * Signs a tenant's chain head with its signing key (docs/audit-chain.md): on demand, at the end of every
 * export, and from the worker for every tenant due one under the checkpoint rules. The checkpoint and its
 * audit event are written in one transaction that holds the chain head, so the event directly follows
 * the head it signs; a head that contradicts the latest checkpoint is never signed.
 */
@Injectable()
export class AuditCheckpoints {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
    @Inject(AuditChainRepository) private readonly chain: CheckpointStore,
  ) {}

  async sign(principal: Principal, meta: RequestMeta): Promise<CheckpointView> {
    requireScope(principal, 'custos:audit:checkpoint');
    const signed = await this.signHead(principal.tenantId, actorOf(principal), meta, null);
    if (!signed) throw new DomainError(ErrorCode.CONFLICT, 'The audit trail has no events to sign yet.');
    return signed;
  }

  /**
   * The worker's schedule: every tenant due a checkpoint under `rules`. A tenant whose chain contradicts
   * its latest checkpoint is skipped (the refusal is logged), so it never holds up the others.
   */
  async signDue(rules: CheckpointRules): Promise<number> {
    let signed = 0;
    let after = '';
    for (;;) {
      const tenants = await this.db.system((tx) => this.chain.tenantsDueCheckpoint(tx, after, TENANT_PAGE, rules));
      for (const tenantId of tenants) {
        try {
          if (await this.signIfDue(tenantId, rules)) signed++;
        } catch (error) {
          if (!(error instanceof ChainHeadContradiction)) throw error;
        }
      }
      if (tenants.length < TENANT_PAGE) return signed;
      after = tenants[tenants.length - 1]!;
    }
  }

  /** Signs the tenant's head if it is due under `rules` once the head is held (another worker may just have signed it). */
  signIfDue(tenantId: string, rules: CheckpointRules): Promise<CheckpointView | null> {
    return this.signHead(tenantId, SYSTEM_ACTOR, SYSTEM_META, rules);
  }

  /** Newest first, keyset-paged by seq. */
  async list(principal: Principal, filter: { cursor?: string | undefined; limit: number }): Promise<Page<CheckpointView>> {
    requireScope(principal, 'custos:audit:read');
    const cursor = decodeCursor(filter.cursor, (v): v is { s: number } => typeof v.s === 'number');
    const found = await this.db.tenant(principal.tenantId, (tx) => this.chain.newestCheckpoints(tx, cursor?.s ?? null, filter.limit + 1));
    const items = found.slice(0, filter.limit).map(toCheckpointView);
    const last = items[items.length - 1];
    return { items, nextCursor: found.length > filter.limit && last ? encodeCursor({ s: last.seq }) : null };
  }

  /**
   * Signs `head`, which the caller's transaction holds, and writes the checkpoint with its audit events
   * sealed right after it (the tenant's key is made on first use, and recorded first). Answers the
   * checkpoint and the head after its events, for the caller to write further sealed events onto.
   * Throws ChainHeadContradiction, signing nothing, when the head contradicts the latest checkpoint.
   */
  async signLocked(tx: Tx, head: ChainHead, actor: AuditActor, meta: RequestMeta): Promise<{ checkpoint: CheckpointView; head: ChainHead }> {
    const refused = this.sealer.refusal(tx, head);
    if (refused) throw refused;
    const latest = await this.chain.latestCheckpoint(tx);
    const { key, created } = await this.keys.signingKey(tx, actor);
    const payload: CheckpointPayload = {
      id: newId('ckp'),
      tenantId: tx.tenantId!,
      seq: head.seq,
      hash: head.hash,
      at: new Date().toISOString(),
      prev: latest?.id ?? null,
    };
    const jws = await signJws(key.privateJwk, checkpointPayloadJson(payload), CHECKPOINT_JWS_TYPE);
    const entries: AuditEntry[] = [
      ...(created ? [created] : []),
      {
        action: 'audit.checkpoint_signed',
        actor,
        target: { type: 'audit_checkpoint', id: payload.id },
        data: { checkpointId: payload.id, seq: payload.seq, hash: payload.hash, kid: key.kid },
        // Announced to webhooks with what verifies it, so a tenant can keep each checkpoint outside Custos.
        webhookData: { at: payload.at, prev: payload.prev, jws },
      },
    ];
    const stored = await this.chain.insertCheckpoint(tx, {
      id: payload.id,
      seq: payload.seq,
      hash: payload.hash,
      at: new Date(payload.at),
      prev: payload.prev,
      kid: key.kid,
      jws,
      eventSeq: head.seq + entries.length,
    });
    return { checkpoint: toCheckpointView(stored), head: await this.audit.recordSealed(tx, head, meta, ...entries) };
  }

  private async signHead(tenantId: string, actor: AuditActor, meta: RequestMeta, dueUnder: CheckpointRules | null): Promise<CheckpointView | null> {
    // Events committed but not yet sealed belong before the head we sign.
    await this.sealer.sealTenant(tenantId);
    return this.db.tenant(tenantId, async (tx) => {
      const head = await this.sealer.lockHead(tx);
      if (head.seq === 0) return null;
      // Read with the head held: another worker may have signed it a moment ago.
      if (dueUnder && !checkpointDue(head.seq, (await this.chain.latestCheckpoint(tx)) ?? null, dueUnder, new Date())) return null;
      return (await this.signLocked(tx, head, actor, meta)).checkpoint;
    });
  }
}
