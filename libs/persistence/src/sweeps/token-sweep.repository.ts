import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import type { Tx } from '../database/database';

/** The moment a token last showed signs of life; matches the expression index tokens_unused_idx. */
const UNUSED_SINCE = 'greatest(created_at, last_used_at, resumed_at)';

/** A tenant's rule for quiet tokens (tenant_policies.disable_unused_after_days). */
export interface UnusedPolicy {
  days: number;
  /** Days of quiet after which the warning is due (custos_unused_warning_days). */
  warnDays: number;
}

/**
 * SQL of the lifecycle sweeps over indexed due dates. Tenant discovery runs in a system transaction;
 * every other method in the tenant transaction of one batch, claiming its rows so that a row it handled
 * no longer matches (a retried or concurrent sweep never handles it twice).
 */
@Injectable()
export class TokenSweepRepository {
  /** Tenants with tokens due for `kind`, one index probe each (custos_tenants_with_due_tokens). */
  async tenantsWithDueTokens(tx: Tx, kind: string, limit: number): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_due_tokens($1, $2) AS t`, [kind, limit]);
    return rows.map((r) => r.t);
  }

  /**
   * Tokens in status `from` whose `dueColumn` has passed → expired; their ids and lookup ids. The caller holds the
   * tenant's chain head, so no other sweep works in the tenant and the rows need no lock of their own.
   * The UPDATE picks rows by ctid (no index lookups) and re-checks that each is still due and still in
   * `from`: a row an api request changes meanwhile has a new ctid and is left for the next run.
   */
  async expireDue(tx: Tx, from: TokenStatus, dueColumn: 'expires_at' | 'grace_ends_at', limit: number): Promise<Array<{ id: string; lookupId: string }>> {
    // A literal status (one of ours, never input), so the planner sees the partial index applies.
    const due = `status = '${from}' AND ${dueColumn} <= now()`;
    const rows = await tx.rows<{ id: string; lookup_id: string }>(
      `UPDATE tokens SET status = 'expired', updated_at = now()
        WHERE ctid = ANY(ARRAY(SELECT ctid FROM tokens WHERE ${due} ORDER BY ${dueColumn} LIMIT $1)) AND ${due}
        RETURNING id, lookup_id`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, lookupId: r.lookup_id }));
  }

  /**
   * Tokens whose expiry notice is due, claimed (SKIP LOCKED) and moved on to their next notice (the
   * 1-day one, or none); each with how many days its notice announces (7 or 1).
   */
  async claimExpiryNotices(tx: Tx, limit: number): Promise<Array<{ id: string; expiresAt: Date; withinDays: number }>> {
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
    return rows.map((r) => ({ id: r.id, expiresAt: r.expires_at, withinDays: r.within_days }));
  }

  /** The tenant's quiet-token rule; undefined when it has no policy row. */
  async unusedPolicy(tx: Tx): Promise<UnusedPolicy | undefined> {
    const policy = await tx.one<{ days: number; warn_days: string }>(
      `SELECT disable_unused_after_days AS days, custos_unused_warning_days(disable_unused_after_days) AS warn_days
         FROM tenant_policies`,
    );
    return policy ? { days: policy.days, warnDays: Number(policy.warn_days) } : undefined;
  }

  /** Active tokens quiet for `days` days → suspended (reason 'unused'), claimed with SKIP LOCKED. */
  async suspendUnused(tx: Tx, days: number, limit: number): Promise<Array<{ id: string; lookupId: string; unusedSince: Date }>> {
    const rows = await tx.rows<{ id: string; lookup_id: string; unused_since: Date }>(
      `UPDATE tokens SET status = 'suspended', suspended_at = now(), suspended_reason = 'unused', updated_at = now()
        WHERE id = ANY(ARRAY(
                SELECT id FROM tokens WHERE status = 'active' AND expires_at > now() AND ${UNUSED_SINCE} <= now() - $2 * interval '1 day'
                 ORDER BY ${UNUSED_SINCE} LIMIT $1 FOR UPDATE SKIP LOCKED))
        RETURNING id, lookup_id, ${UNUSED_SINCE} AS unused_since`,
      [limit, days],
    );
    return rows.map((r) => ({ id: r.id, lookupId: r.lookup_id, unusedSince: r.unused_since }));
  }

  /** Active tokens quiet for `warnDays` days and not warned in this quiet spell → marked warned. */
  async warnUnused(tx: Tx, warnDays: number, limit: number): Promise<Array<{ id: string; unusedSince: Date }>> {
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
    return rows.map((r) => ({ id: r.id, unusedSince: r.unused_since }));
  }
}
