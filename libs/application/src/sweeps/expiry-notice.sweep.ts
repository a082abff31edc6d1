import { Injectable } from '@nestjs/common';
import type { Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/**
 * "Expiring soon": a `token.expiring` event (and webhook) 7 days and 1 day before a token's expiry,
 * once each. `expiry_notice_at` (kept by a trigger from expires_at) says when the next one is due; a
 * token that lives less than a window gets no notice for it, and a late sweep sends only the nearer one.
 */
@Injectable()
export class ExpiryNoticeSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'expiry_notice';
  readonly batchSize = 500;

  constructor(private readonly audit: AuditLog) {}

  async batch(tx: Tx, limit: number): Promise<number> {
    const rows = await tx.rows<{ id: string; expires_at: Date; within_days: number }>(
      `UPDATE tokens
          SET expiry_notice_at = CASE WHEN expires_at - now() > interval '1 day' THEN expires_at - interval '1 day' END
        WHERE id = ANY(ARRAY(
                SELECT id FROM tokens
                 WHERE status IN ('active', 'suspended') AND expiry_notice_at IS NOT NULL AND expiry_notice_at <= now()
                   AND expires_at > now()
                 ORDER BY expiry_notice_at LIMIT $1 FOR UPDATE SKIP LOCKED))
        RETURNING id, expires_at, CASE WHEN expires_at - now() > interval '1 day' THEN 7 ELSE 1 END AS within_days`,
      [limit],
    );
    if (rows.length > 0) {
      await this.audit.record(
        tx,
        SWEEP_META,
        ...rows.map((r) => ({
          action: 'token.expiring' as const,
          actor: SYSTEM_ACTOR,
          target: { type: 'token', id: r.id },
          data: { expiresAt: r.expires_at.toISOString(), withinDays: r.within_days },
        })),
      );
    }
    return rows.length;
  }
}
