import { Injectable } from '@nestjs/common';
import { CHECKPOINT_JWS_TYPE } from '@custos/contracts';
import { verifyJws } from '@custos/crypto';
import {
  ChainHeadContradiction,
  ChainVerifier,
  CheckpointWalk,
  checkpointSignatureProblem,
  withFault,
  type ChainFault,
  type ChainPosition,
  type ChainVerdict,
  type ChainedEventBody,
} from '@custos/domain';
import { AuditChainRepository, Database } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { AUDIT_COLUMNS, chainBodyOf, type AuditEventRow } from './audit-row';
import { AuditSealer } from './audit-sealer';
import { SigningKeys } from './signing-keys';

/** An event as the API shows it: the hashed body (its tenant is the caller's) and its place in the chain. */
export type AuditEventView = Omit<ChainedEventBody, 'tenantId'> & { prevHash: string; hash: string };

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Only sealed rows are shown, so seq, prev_hash and hash are set. */
function toView(row: AuditEventRow): AuditEventView {
  const { tenantId: _tenant, ...body } = chainBodyOf(row, '', Number(row.seq));
  return { ...body, prevHash: row.prev_hash!, hash: row.hash! };
}

@Injectable()
export class AuditQuery {
  constructor(
    private readonly db: Database,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
    private readonly chain: AuditChainRepository,
  ) {}

  /** Newest first, keyset-paged by seq. Pending events are sealed first so the page is complete. */
  async list(principal: Principal, filter: AuditFilter): Promise<Page<AuditEventView>> {
    await sealPending(this.sealer, principal.tenantId);
    const cursor = decodeCursor(filter.cursor, (v): v is { s: number } => typeof v.s === 'number');
    const where = ['seq IS NOT NULL'];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.action) add('action = ?', filter.action);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.targetId) add('target_id = ?', filter.targetId);
    if (filter.from) add('occurred_at >= ?', filter.from);
    if (filter.to) add('occurred_at < ?', filter.to);
    if (cursor) add('seq < ?', cursor.s);
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      tx.rows<AuditEventRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${filter.limit + 1}`,
        params,
      ),
    );
    const items = rows.slice(0, filter.limit).map(toView);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor({ s: last.seq }) : null };
  }

  /**
   * Recomputes the whole chain from the first event, in pages, holding one page in memory; then holds it
   * against the stored head (events cut off the end show there, unless the head was moved back too) and
   * against every signed checkpoint, whose signature, link to the one before and hash at its seq must
   * all agree: a chain shorter than a checkpoint, or rewritten under one, is invalid, whatever its head
   * says. The verdict names the first fault in sequence order, and why.
   */
  async verify(principal: Principal): Promise<ChainVerdict> {
    const tenantId = principal.tenantId;
    await sealPending(this.sealer, tenantId);
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = await this.db.tenant(tenantId, (tx) =>
        tx.rows<AuditEventRow>(
          `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 2000`,
          [after],
        ),
      );
      for (const row of rows) verifier.add({ ...toView(row), tenantId });
      if (rows.length < 2000) break;
      after = Number(rows[rows.length - 1]!.seq);
    }
    const verdict = verifier.verdict();
    const head = await this.db.tenant(tenantId, (tx) => tx.one<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_heads`));
    const headFault: ChainFault | null =
      head && (Number(head.seq) !== verdict.headSeq || head.hash !== verdict.headHash)
        ? { seq: verdict.headSeq + 1, reason: `the stored head is seq ${head.seq} with hash ${head.hash}, but the chain ends at seq ${verdict.headSeq} with hash ${verdict.headHash}` }
        : null;
    const checkpoints = await this.walkCheckpoints(tenantId, { seq: verdict.headSeq, hash: verdict.headHash });
    return { ...withFault(withFault(verdict, headFault), checkpoints.fault), checkedCheckpoints: checkpoints.checkedCheckpoints };
  }

  /** Every checkpoint in seq order (pages of 500), its JWS checked with the keys this installation made. */
  private async walkCheckpoints(tenantId: string, head: ChainPosition): Promise<ReturnType<CheckpointWalk['result']>> {
    const jwks = await this.db.tenant(tenantId, (tx) => this.keys.publicKeys(tx));
    const walk = new CheckpointWalk(head);
    let after = 0;
    for (;;) {
      const page = await this.db.tenant(tenantId, (tx) => this.chain.checkpointsWithEventHashes(tx, after, 500));
      for (const { checkpoint, eventHash } of page) {
        const { id, seq, hash, at, prev, jws } = checkpoint;
        const shown = { id, tenantId, seq, hash, at: at.toISOString(), prev };
        const problem = checkpointSignatureProblem(await verifyJws(jws, jwks, CHECKPOINT_JWS_TYPE), shown, 'the stored one');
        walk.add(checkpoint, eventHash, problem);
      }
      if (page.length < 500) return walk.result();
      after = page[page.length - 1]!.checkpoint.seq;
    }
  }
}

/**
 * Seals what is pending before a read. A chain that contradicts its latest checkpoint takes no more
 * events (the refusal is logged): it is read, and verified, as it stands.
 */
async function sealPending(sealer: AuditSealer, tenantId: string): Promise<void> {
  try {
    await sealer.sealTenant(tenantId);
  } catch (error) {
    if (!(error instanceof ChainHeadContradiction)) throw error;
  }
}
