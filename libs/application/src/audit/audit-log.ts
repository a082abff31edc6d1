import { Injectable } from '@nestjs/common';
import type { Tx } from '@custos/persistence';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditSealer } from './audit-sealer';

export interface AuditActor {
  type: 'user' | 'service_key' | 'system' | 'anonymous';
  id: string | null;
}

export interface AuditEntry {
  action: string;
  actor: AuditActor;
  target?: { type: string; id: string } | undefined;
  data?: Record<string, unknown>;
}

export function actorOf(principal: Principal): AuditActor {
  return { type: principal.kind, id: principal.id };
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null };

/**
 * Writes audit events inside the caller's transaction: no audit, no change. Events are inserted
 * unsealed; the sealer gives them their sequence number and hash right after commit, so concurrent
 * writers of one tenant never wait on each other for the chain (see docs/audit-chain.md).
 */
@Injectable()
export class AuditLog {
  constructor(private readonly sealer: AuditSealer) {}

  async record(tx: Tx, meta: RequestMeta, ...entries: AuditEntry[]): Promise<void> {
    if (entries.length > 0) await this.recordWith(tx, meta, null, ...entries);
  }

  /**
   * The change and its events in one statement (`WITH change AS (…) INSERT INTO audit_events …`): one
   * round trip instead of two on hot paths. Postgres runs a data-modifying WITH to completion whether
   * or not the outer statement reads it.
   */
  async recordWith(
    tx: Tx,
    meta: RequestMeta,
    change: { sql: string; params: unknown[] } | null,
    ...entries: AuditEntry[]
  ): Promise<void> {
    if (entries.length === 0) throw new Error('a change needs its audit event');
    const tenantId = requireTenant(tx);
    const offset = change?.params.length ?? 0;
    const p = (i: number) => `$${offset + i}`;
    const insert = `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, actor_id, target_type, target_id, request_id, data)
       SELECT ${p(1)}, ${p(2)}, e.action, e.actor_type, e.actor_id, e.target_type, e.target_id, ${p(3)}, e.data
         FROM unnest(${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::jsonb[])
           AS e(action, actor_type, actor_id, target_type, target_id, data)`;
    const params = [
      tenantId,
      new Date().toISOString(),
      meta.requestId,
      entries.map((e) => e.action),
      entries.map((e) => e.actor.type),
      entries.map((e) => e.actor.id),
      entries.map((e) => e.target?.type ?? null),
      entries.map((e) => e.target?.id ?? null),
      entries.map((e) => JSON.stringify({ ...(e.data ?? {}), ...(meta.ip ? { ip: meta.ip } : {}) })),
    ];
    tx.afterCommit(() => this.sealer.requestSeal(tenantId));
    if (!change) await tx.rows(insert, params);
    else await tx.rows(`WITH change AS (${change.sql}), audit AS (${insert}) SELECT 1`, [...change.params, ...params]);
  }
}

function requireTenant(tx: Tx): string {
  if (!tx.tenantId) throw new Error('audit events belong to a tenant transaction');
  return tx.tenantId;
}
