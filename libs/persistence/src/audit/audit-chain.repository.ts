import { Injectable } from '@nestjs/common';
import { GENESIS_HASH, type ChainPosition, type CheckpointMark, type CheckpointRules } from '@custos/domain';
import type { OpeningRead, Tx } from '../database/database';

/** A signed checkpoint as stored (audit_checkpoints). */
export interface StoredCheckpoint extends CheckpointMark {
  at: Date;
  /** The tenant's previous checkpoint, null for its first. */
  prev: string | null;
  kid: string;
  /** Compact JWS (ES256) over `{id, tenantId, seq, hash, at, prev}`. */
  jws: string;
}

/** A tenant's chain head as a writer takes it, with what to hold it against before chaining onto it. */
export interface LockedHead {
  head: ChainPosition;
  /**
   * The tenant's latest checkpoint (highest seq), if it has one, as the locking statement saw it: when
   * it waited for the lock, possibly one signed before the latest. The head must agree with it all the
   * same, but whoever needs the latest itself (to link a new checkpoint to it) reads it afresh.
   */
  latest: (CheckpointMark & { at: Date }) | null;
  /** The hash of the stored event at the latest checkpoint's seq, null when there is none. */
  hashAtLatest: string | null;
}

interface CheckpointRow {
  id: string;
  seq: string;
  hash: string;
  at: Date;
  prev_checkpoint_id: string | null;
  kid: string;
  jws: string;
  event_seq: string;
}

const COLUMNS = 'id, seq, hash, at, prev_checkpoint_id, kid, jws, event_seq';

function checkpointOf(row: CheckpointRow): StoredCheckpoint {
  return {
    id: row.id,
    seq: Number(row.seq),
    hash: row.hash,
    at: row.at,
    prev: row.prev_checkpoint_id,
    kid: row.kid,
    jws: row.jws,
    eventSeq: Number(row.event_seq),
  };
}

interface HeadRow {
  seq: string;
  hash: string;
  latest_id: string | null;
  latest_seq: string | null;
  latest_hash: string | null;
  latest_at: Date | null;
  latest_event_seq: string | null;
  hash_at_latest: string | null;
}

/**
 * The head with the latest checkpoint and the stored hash at its seq, in the statement that locks the
 * head: holding the head against the checkpoint costs two index probes, not a round trip. (A checkpoint
 * committed while this statement waited for the lock is not seen, see LockedHead.latest.)
 */
const headWithLatestCheckpoint = (head: string): string => `
  SELECT h.seq, h.hash, c.id AS latest_id, c.seq AS latest_seq, c.hash AS latest_hash, c.at AS latest_at,
         c.event_seq AS latest_event_seq,
         (SELECT e.hash FROM audit_events e WHERE e.tenant_id = h.tenant_id AND e.seq = c.seq) AS hash_at_latest
    FROM ${head}
    LEFT JOIN LATERAL (SELECT id, seq, hash, at, event_seq FROM audit_checkpoints
                        WHERE tenant_id = h.tenant_id ORDER BY seq DESC LIMIT 1) c ON true`;

function lockedHeadOf(row: HeadRow): LockedHead {
  const latest =
    row.latest_id === null
      ? null
      : { id: row.latest_id, seq: Number(row.latest_seq), hash: row.latest_hash!, at: row.latest_at!, eventSeq: Number(row.latest_event_seq) };
  return { head: { seq: Number(row.seq), hash: row.hash }, latest, hashAtLatest: row.hash_at_latest };
}

/**
 * lockHeadIfFree's lock, sent with BEGIN by a transaction that will write sealed events (an issue
 * batch): a round trip less. Its row is taken by the first lockHead or lockHeadIfFree of the
 * transaction, before any write can move the head. Taking the head before any row its works lock (a
 * consent, FOR SHARE) is the order the sweeps already take (lockChainHead, then their rows), and a
 * withdrawal holding a consent never waits for the head (SKIP LOCKED): no two of them can wait on
 * each other.
 */
export const CHAIN_HEAD_IF_FREE: OpeningRead = { key: 'audit-chain-head-if-free', sql: (tenant) => headIfFree(`'${tenant}'`) };

/** The head of the tenant `tenant` (an SQL expression) locked unless another transaction holds it. */
function headIfFree(tenant: string): string {
  return `${headWithLatestCheckpoint('audit_heads h')} WHERE h.tenant_id = ${tenant} FOR UPDATE OF h SKIP LOCKED`;
}

/**
 * SQL of the audit chain's heads and signed checkpoints (docs/audit-chain.md). Every method runs in the
 * caller's tenant transaction, row-level security scoping it to that tenant.
 */
@Injectable()
export class AuditChainRepository {
  /** Locks the tenant's chain head, creating it on first use, waiting for another holder to finish. */
  async lockHead(tx: Tx): Promise<LockedHead> {
    const opened = tx.opened<HeadRow>(CHAIN_HEAD_IF_FREE.key)?.[0];
    if (opened) return lockedHeadOf(opened);
    const row = await tx.one<HeadRow>(
      `WITH h AS (INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)
                  ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_heads.seq RETURNING tenant_id, seq, hash)
       ${headWithLatestCheckpoint('h')}`,
      [tx.tenantId, GENESIS_HASH],
    );
    return lockedHeadOf(row!);
  }

  /**
   * Claims the tenant's chain for a bulk writer until the transaction ends (an advisory lock, since a row
   * lock cannot be skipped while the head row may still have to be created); false when another holds it.
   */
  async tryClaimWriter(tx: Tx): Promise<boolean> {
    const claimed = await tx.one<{ ok: boolean }>(
      `SELECT pg_try_advisory_xact_lock(hashtextextended('custos.chain-writer:' || $1, 0)) AS ok`,
      [tx.tenantId],
    );
    return claimed?.ok === true;
  }

  /** The tenant's stored head, unlocked (what a verification holds the chain against); undefined before its first event. */
  async storedHead(tx: Tx): Promise<ChainPosition | undefined> {
    const row = await tx.one<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_heads`);
    return row && { seq: Number(row.seq), hash: row.hash };
  }

  /** Locks the tenant's chain head if nobody holds it (SKIP LOCKED); undefined when busy or not made yet. */
  async lockHeadIfFree(tx: Tx): Promise<LockedHead | undefined> {
    const opened = tx.opened<HeadRow>(CHAIN_HEAD_IF_FREE.key);
    const row = opened
      ? opened[0]
      : await tx.one<HeadRow>(headIfFree('$1'), [tx.tenantId]);
    return row ? lockedHeadOf(row) : undefined;
  }

  async insertCheckpoint(tx: Tx, checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    const { id, seq, hash, at, prev, kid, jws, eventSeq } = checkpoint;
    const row = await tx.one<CheckpointRow>(
      `INSERT INTO audit_checkpoints (tenant_id, id, seq, hash, at, prev_checkpoint_id, kid, jws, event_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [tx.tenantId, id, seq, hash, at, prev, kid, jws, eventSeq],
    );
    return checkpointOf(row!);
  }

  /** Newest first, below `beforeSeq` when given: a keyset page (one more than `limit` tells there is a next). */
  async newestCheckpoints(tx: Tx, beforeSeq: number | null, limit: number): Promise<StoredCheckpoint[]> {
    const rows = await tx.rows<CheckpointRow>(
      `SELECT ${COLUMNS} FROM audit_checkpoints WHERE $1::bigint IS NULL OR seq < $1 ORDER BY seq DESC LIMIT $2`,
      [beforeSeq, limit],
    );
    return rows.map(checkpointOf);
  }

  /** In seq order, after `afterSeq` and up to `lastSeq`. */
  async checkpointsBetween(tx: Tx, afterSeq: number, lastSeq: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows = await tx.rows<CheckpointRow>(
      `SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [afterSeq, lastSeq, limit],
    );
    return rows.map(checkpointOf);
  }

  /** The tenant's latest checkpoint (highest seq), read afresh: after the head is locked, every earlier signer's is seen. */
  async latestCheckpoint(tx: Tx): Promise<StoredCheckpoint | undefined> {
    const row = await tx.one<CheckpointRow>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`);
    return row ? checkpointOf(row) : undefined;
  }

  /** The first checkpoint signing seq `seq` or later. */
  async firstCheckpointFrom(tx: Tx, seq: number): Promise<StoredCheckpoint | undefined> {
    const row = await tx.one<CheckpointRow>(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE seq >= $1 ORDER BY seq LIMIT 1`, [seq]);
    return row ? checkpointOf(row) : undefined;
  }

  /** In seq order after `afterSeq`, each with the hash of the stored event at its seq (null when none is). */
  async checkpointsWithEventHashes(tx: Tx, afterSeq: number, limit: number): Promise<Array<{ checkpoint: StoredCheckpoint; eventHash: string | null }>> {
    const rows = await tx.rows<CheckpointRow & { event_hash: string | null }>(
      `SELECT ${COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}, e.hash AS event_hash
         FROM audit_checkpoints c
         LEFT JOIN audit_events e ON e.tenant_id = c.tenant_id AND e.seq = c.seq
        WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((row) => ({ checkpoint: checkpointOf(row), eventHash: row.event_hash }));
  }

  /** Tenants, in id order after `after`, due a checkpoint under `rules` (checkpointDue, across tenants). */
  async tenantsDueCheckpoint(tx: Tx, after: string, limit: number, rules: CheckpointRules): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(
      `SELECT custos_tenants_due_checkpoint($1, $2, $3, make_interval(secs => $4::double precision / 1000)) AS t`,
      [after, limit, rules.everyEvents, rules.maxAgeMs],
    );
    return rows.map((r) => r.t);
  }
}
