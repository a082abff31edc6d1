import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import { Database, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';

export type SweepKind = 'expire' | 'grace_end';

const SWEEPS: Record<SweepKind, { due: string; order: string; action: string }> = {
  expire: {
    due: `status IN ('active', 'suspended') AND expires_at <= now()`,
    order: 'expires_at',
    action: 'token.expired',
  },
  grace_end: {
    due: `status = 'rotating' AND grace_ends_at <= now()`,
    order: 'grace_ends_at',
    action: 'token.rotation_completed',
  },
};

const SYSTEM_META = { requestId: null, ip: null };

/**
 * Marks due tokens expired, in batches claimed with FOR UPDATE SKIP LOCKED, each batch with its audit
 * events in one transaction. Idempotent and safe with several workers: a claimed row is skipped by the
 * others, and a row already expired no longer matches. Verify checks the clock itself, so a late sweep
 * never lets a token live longer; the sweep makes the status and the audit trail say so.
 */
@Injectable()
export class TokenSweeper {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
  ) {}

  async sweep(kind: SweepKind, batchSize = 1000): Promise<number> {
    const tenants = await this.db.system((tx) =>
      tx.rows<{ t: string }>(`SELECT custos_tenants_with_due_tokens($1, 1000) AS t`, [kind]),
    );
    let total = 0;
    for (const { t } of tenants) {
      for (;;) {
        const done = await this.db.tenant(t, (tx) => this.batch(tx, kind, batchSize));
        total += done;
        if (done < batchSize) break;
      }
    }
    return total;
  }

  private async batch(tx: Tx, kind: SweepKind, batchSize: number): Promise<number> {
    const sweep = SWEEPS[kind];
    const rows = await tx.rows<{ id: string; status: TokenStatus }>(
      `SELECT id, status FROM tokens WHERE ${sweep.due} ORDER BY ${sweep.order} LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    if (rows.length === 0) return 0;
    await tx.rows(`UPDATE tokens SET status = 'expired', updated_at = now() WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
    await this.audit.record(
      tx,
      SYSTEM_META,
      ...rows.map((r) => ({
        action: sweep.action,
        actor: SYSTEM_ACTOR,
        target: { type: 'token', id: r.id },
        data: { from: r.status },
      })),
    );
    return rows.length;
  }
}
