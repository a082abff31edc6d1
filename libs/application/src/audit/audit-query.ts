import { Injectable } from '@nestjs/common';
import { ChainVerifier, type ChainVerdict, type ChainedEventBody } from '@custos/domain';
import { Database } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { AUDIT_COLUMNS, chainBodyOf, type AuditEventRow } from './audit-row';
import { AuditSealer } from './audit-sealer';

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
  ) {}

  /** Newest first, keyset-paged by seq. Pending events are sealed first so the page is complete. */
  async list(principal: Principal, filter: AuditFilter): Promise<Page<AuditEventView>> {
    await this.sealer.sealTenant(principal.tenantId);
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

  /** Recomputes the whole chain from the first event, in pages, holding one page in memory. */
  async verify(principal: Principal): Promise<ChainVerdict> {
    await this.sealer.sealTenant(principal.tenantId);
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = await this.db.tenant(principal.tenantId, (tx) =>
        tx.rows<AuditEventRow>(
          `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 2000`,
          [after],
        ),
      );
      for (const row of rows) verifier.add({ ...toView(row), tenantId: principal.tenantId });
      if (rows.length < 2000) break;
      after = Number(rows[rows.length - 1]!.seq);
    }
    const head = await this.db.tenant(principal.tenantId, (tx) =>
      tx.one<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_heads`),
    );
    const verdict = verifier.verdict();
    // The stored head must agree with the recomputed one: events cut off the end would show here.
    if (verdict.valid && head && (Number(head.seq) !== verdict.headSeq || head.hash !== verdict.headHash)) {
      return { ...verdict, valid: false, firstInvalidSeq: verdict.headSeq + 1 };
    }
    return verdict;
  }
}
