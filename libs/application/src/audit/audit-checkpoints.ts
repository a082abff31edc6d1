import { Injectable } from '@nestjs/common';
import { CHECKPOINT_JWS_TYPE, ErrorCode, type CheckpointPayload } from '@custos/contracts';
import { signJws } from '@custos/crypto';
import { DomainError, checkpointPayloadJson, newId } from '@custos/domain';
import { Database, type Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { AuditLog, SYSTEM_ACTOR, actorOf, type AuditActor } from './audit-log';
import { AuditSealer } from './audit-sealer';
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

export interface CheckpointRow {
  id: string;
  seq: string;
  hash: string;
  at: Date;
  prev_checkpoint_id: string | null;
  kid: string;
  jws: string;
  event_seq: string;
}

export const CHECKPOINT_COLUMNS = 'id, seq, hash, at, prev_checkpoint_id, kid, jws, event_seq';

export function toCheckpointView(row: CheckpointRow): CheckpointView {
  return {
    id: row.id,
    seq: Number(row.seq),
    hash: row.hash,
    at: row.at.toISOString(),
    prev: row.prev_checkpoint_id,
    kid: row.kid,
    jws: row.jws,
  };
}

const TENANT_PAGE = 100;
const SYSTEM_META: RequestMeta = { requestId: null, ip: null };

/**
 * Signs a tenant's chain head with its signing key (docs/audit-chain.md): on demand, and from the
 * worker for every tenant whose head has moved since its last checkpoint. The checkpoint and its audit
 * event are written in one transaction that holds the chain head, so the event directly follows the
 * head it signs.
 */
@Injectable()
export class AuditCheckpoints {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
  ) {}

  async sign(principal: Principal, meta: RequestMeta): Promise<CheckpointView> {
    requireScope(principal, 'custos:audit:checkpoint');
    const signed = await this.signHead(principal.tenantId, actorOf(principal), meta, false);
    if (!signed) throw new DomainError(ErrorCode.CONFLICT, 'The audit trail has no events to sign yet.');
    return signed;
  }

  /** The worker's schedule: every tenant whose head moved since its last checkpoint. */
  async signMoved(): Promise<number> {
    let signed = 0;
    let after = '';
    for (;;) {
      const tenants = await this.db.system((tx) =>
        tx.rows<{ t: string }>(`SELECT custos_tenants_needing_checkpoint($1, $2) AS t`, [after, TENANT_PAGE]),
      );
      for (const { t } of tenants) if (await this.signIfMoved(t)) signed++;
      if (tenants.length < TENANT_PAGE) return signed;
      after = tenants[tenants.length - 1]!.t;
    }
  }

  /** Signs the tenant's head unless nothing but its last checkpoint's own events came since. */
  signIfMoved(tenantId: string): Promise<CheckpointView | null> {
    return this.signHead(tenantId, SYSTEM_ACTOR, SYSTEM_META, true);
  }

  /** Newest first, keyset-paged by seq. */
  async list(principal: Principal, filter: { cursor?: string | undefined; limit: number }): Promise<Page<CheckpointView>> {
    requireScope(principal, 'custos:audit:read');
    const cursor = decodeCursor(filter.cursor, (v): v is { s: number } => typeof v.s === 'number');
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      tx.rows<CheckpointRow>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ${cursor ? 'WHERE seq < $1' : ''} ORDER BY seq DESC LIMIT ${filter.limit + 1}`,
        cursor ? [cursor.s] : [],
      ),
    );
    const items = rows.slice(0, filter.limit).map(toCheckpointView);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ s: last.seq }) : null };
  }

  private async signHead(tenantId: string, actor: AuditActor, meta: RequestMeta, onlyIfMoved: boolean): Promise<CheckpointView | null> {
    // Events committed but not yet sealed belong before the head we sign.
    await this.sealer.sealTenant(tenantId);
    return this.db.tenant(tenantId, async (tx) => {
      const head = await this.audit.lockChainHead(tx, { skipLocked: false });
      const last = await this.latest(tx);
      if (!head || head.seq === 0) return null;
      if (onlyIfMoved && last && head.seq <= Number(last.event_seq)) return null;
      const { key, created } = await this.keys.signingKey(tx, actor);
      const payload: CheckpointPayload = {
        id: newId('ckp'),
        tenantId,
        seq: head.seq,
        hash: head.hash,
        at: new Date().toISOString(),
        prev: last?.id ?? null,
      };
      const jws = await signJws(key.privateJwk, checkpointPayloadJson(payload), CHECKPOINT_JWS_TYPE);
      const entries = [
        ...(created ? [created] : []),
        {
          action: 'audit.checkpoint_signed',
          actor,
          target: { type: 'audit_checkpoint', id: payload.id },
          data: { checkpointId: payload.id, seq: payload.seq, hash: payload.hash, kid: key.kid },
        },
      ];
      const row = await tx.one<CheckpointRow>(
        `INSERT INTO audit_checkpoints (tenant_id, id, seq, hash, at, prev_checkpoint_id, kid, jws, event_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${CHECKPOINT_COLUMNS}`,
        [tenantId, payload.id, payload.seq, payload.hash, payload.at, payload.prev, key.kid, jws, head.seq + entries.length],
      );
      // Sealed as written, right after the head just signed.
      await this.audit.recordSealed(tx, head, meta, ...entries);
      return toCheckpointView(row!);
    });
  }

  private latest(tx: Tx): Promise<CheckpointRow | undefined> {
    return tx.one<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`);
  }
}
