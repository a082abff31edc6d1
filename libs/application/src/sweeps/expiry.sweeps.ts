import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import type { Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/**
 * Claims and expires due rows in one statement, and writes their events already sealed into the
 * tenant's chain: at a million tokens, sealing afterwards would write every event twice. The chain head
 * stays locked for the batch, so a second worker sweeps another tenant meanwhile. Verify checks the
 * clock itself, so a late sweep never lets a token live longer; the sweep makes the status and the
 * audit trail say so.
 */
async function expireDue(
  tx: Tx,
  audit: AuditLog,
  sweep: { due: string; order: string; action: string },
  limit: number,
): Promise<number> {
  const head = await audit.lockChainHead(tx, { skipLocked: true });
  if (!head) return 0;
  // `id = ANY(ARRAY(…))` keeps the update on the primary key; a join against the claimed rows would
  // make the planner scan the whole tenant's tokens for every batch. The claimed rows are locked, so
  // the update changes every one of them.
  const rows = await tx.rows<{ id: string; from: TokenStatus }>(
    `WITH claimed AS MATERIALIZED (
       SELECT id, status FROM tokens WHERE ${sweep.due} ORDER BY ${sweep.order} LIMIT $1 FOR UPDATE SKIP LOCKED
     ), changed AS (
       UPDATE tokens SET status = 'expired', updated_at = now() WHERE id = ANY(ARRAY(SELECT id FROM claimed))
     )
     SELECT id, status AS "from" FROM claimed`,
    [limit],
  );
  if (rows.length > 0) {
    await audit.recordSealed(
      tx,
      head,
      SWEEP_META,
      ...rows.map((r) => ({
        action: sweep.action,
        actor: SYSTEM_ACTOR,
        target: { type: 'token', id: r.id },
        data: { from: r.from },
      })),
    );
  }
  return rows.length;
}

/** Active and suspended tokens past their expiry → expired (`token.expired`). */
@Injectable()
export class ExpireSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'expire';
  readonly batchSize = 5000;

  constructor(private readonly audit: AuditLog) {}

  batch(tx: Tx, limit: number): Promise<number> {
    return expireDue(tx, this.audit, {
      due: `status IN ('active', 'suspended') AND expires_at <= now()`,
      order: 'expires_at',
      action: 'token.expired',
    }, limit);
  }
}

/** Rotating tokens whose grace period ended → expired (`token.rotation_completed`). */
@Injectable()
export class GraceEndSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'grace_end';
  readonly batchSize = 5000;

  constructor(private readonly audit: AuditLog) {}

  batch(tx: Tx, limit: number): Promise<number> {
    return expireDue(tx, this.audit, {
      due: `status = 'rotating' AND grace_ends_at <= now()`,
      order: 'grace_ends_at',
      action: 'token.rotation_completed',
    }, limit);
  }
}
