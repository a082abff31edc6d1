import { Injectable } from '@nestjs/common';
import type { Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { TokenCache } from '../verify/token-cache';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/** The moment a token last showed signs of life; matches the expression index tokens_unused_idx. */
const UNUSED_SINCE = 'greatest(created_at, last_used_at, resumed_at)';

/**
 * Tenant policy `disableUnusedAfterDays`: an active token nobody has used for that long is suspended
 * (`token.suspended_unused`, resumable by an admin, and resuming restarts the clock); a
 * `token.unused_warning` comes 7 days before (half-way for limits under two weeks), once per quiet spell.
 */
@Injectable()
export class UnusedTokenSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'unused';
  readonly batchSize = 500;

  constructor(
    private readonly audit: AuditLog,
    private readonly cache: TokenCache,
  ) {}

  async batch(tx: Tx, limit: number): Promise<number> {
    const policy = await tx.one<{ days: number; warn_days: string }>(
      `SELECT disable_unused_after_days AS days, custos_unused_warning_days(disable_unused_after_days) AS warn_days
         FROM tenant_policies`,
    );
    if (!policy) return 0;
    const suspended = await this.suspend(tx, policy.days, limit);
    const warned = suspended < limit ? await this.warn(tx, policy.days, Number(policy.warn_days), limit - suspended) : 0;
    return suspended + warned;
  }

  private async suspend(tx: Tx, days: number, limit: number): Promise<number> {
    const rows = await tx.rows<{ id: string; lookup_id: string; unused_since: Date }>(
      `UPDATE tokens SET status = 'suspended', suspended_at = now(), suspended_reason = 'unused', updated_at = now()
        WHERE id = ANY(ARRAY(
                SELECT id FROM tokens WHERE status = 'active' AND expires_at > now() AND ${UNUSED_SINCE} <= now() - $2 * interval '1 day'
                 ORDER BY ${UNUSED_SINCE} LIMIT $1 FOR UPDATE SKIP LOCKED))
        RETURNING id, lookup_id, ${UNUSED_SINCE} AS unused_since`,
      [limit, days],
    );
    if (rows.length === 0) return 0;
    await this.audit.record(
      tx,
      SWEEP_META,
      ...rows.map((r) => ({
        action: 'token.suspended_unused' as const,
        actor: SYSTEM_ACTOR,
        target: { type: 'token', id: r.id },
        data: { unusedSince: r.unused_since.toISOString(), disableUnusedAfterDays: days },
      })),
    );
    tx.afterCommit(() => this.cache.invalidate(rows.map((r) => r.lookup_id)));
    return rows.length;
  }

  private async warn(tx: Tx, days: number, warnDays: number, limit: number): Promise<number> {
    const rows = await tx.rows<{ id: string; unused_since: Date }>(
      `UPDATE tokens SET unused_warned_at = now()
        WHERE id = ANY(ARRAY(
                SELECT id FROM tokens
                 WHERE status = 'active' AND expires_at > now() AND ${UNUSED_SINCE} <= now() - $2 * interval '1 day'
                   AND (unused_warned_at IS NULL OR unused_warned_at < ${UNUSED_SINCE})
                 ORDER BY ${UNUSED_SINCE} LIMIT $1 FOR UPDATE SKIP LOCKED))
        RETURNING id, ${UNUSED_SINCE} AS unused_since`,
      [limit, warnDays],
    );
    if (rows.length === 0) return 0;
    await this.audit.record(
      tx,
      SWEEP_META,
      ...rows.map((r) => ({
        action: 'token.unused_warning' as const,
        actor: SYSTEM_ACTOR,
        target: { type: 'token', id: r.id },
        data: {
          unusedSince: r.unused_since.toISOString(),
          suspendsAt: new Date(r.unused_since.getTime() + days * 86_400_000).toISOString(),
        },
      })),
    );
    return rows.length;
  }
}
