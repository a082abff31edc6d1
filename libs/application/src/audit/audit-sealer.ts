import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { GENESIS_HASH, chainHash } from '@custos/domain';
import { Database, type Tx } from '@custos/persistence';
import { AUDIT_COLUMNS, chainBodyOf, type AuditEventRow } from './audit-row';

const BATCH = 500;

/**
 * Links committed events into the tenant's hash chain. One sealer at a time per tenant (the head row
 * is locked), in insertion order; any process may seal, so a crash between commit and seal is healed
 * by the next seal or by the worker's sweep.
 */
@Injectable()
export class AuditSealer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditSealer.name);
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly db: Database) {}

  /** Coalesces bursts: at most one seal per tenant in flight, plus one queued behind it. */
  requestSeal(tenantId: string): void {
    if (this.running.has(tenantId)) {
      this.again.add(tenantId);
      return;
    }
    const run = this.sealTenant(tenantId)
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error, tenantId }, 'audit seal failed; the sweep will retry'))
      .finally(() => {
        this.running.delete(tenantId);
        if (this.again.delete(tenantId)) this.requestSeal(tenantId);
      });
    this.running.set(tenantId, run);
  }

  /** Seals in flight finish while the database pool is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** Waits for seals already requested (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  async sealTenant(tenantId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await this.db.tenant(tenantId, (tx) => this.sealBatch(tx, tenantId));
      total += sealed;
      if (sealed < BATCH) return total;
    }
  }

  /** Seals every tenant that has unsealed events (the worker's sweep). */
  async sealAll(): Promise<number> {
    const tenants = await this.db.system((tx) =>
      tx.rows<{ t: string }>(`SELECT custos_tenants_with_unsealed_audit(1000) AS t`),
    );
    let total = 0;
    for (const { t } of tenants) total += await this.sealTenant(t);
    return total;
  }

  private async sealBatch(tx: Tx, tenantId: string): Promise<number> {
    // Creates the head on first use and locks it either way: one sealer per tenant at a time.
    const head = await tx.one<{ seq: string; hash: string }>(
      `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_heads.seq RETURNING seq, hash`,
      [tenantId, GENESIS_HASH],
    );
    const rows = await tx.rows<AuditEventRow>(
      `SELECT ${AUDIT_COLUMNS}
         FROM audit_events WHERE tenant_id = $1 AND seq IS NULL ORDER BY id LIMIT ${BATCH}`,
      [tenantId],
    );
    if (rows.length === 0 || !head) return 0;
    let seq = Number(head.seq);
    let prev = head.hash;
    const ids: string[] = [];
    const seqs: number[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      seq += 1;
      const hash = chainHash(prev, chainBodyOf(row, tenantId, seq));
      ids.push(row.id);
      seqs.push(seq);
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await tx.rows(
      `WITH sealed AS (
         UPDATE audit_events e SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
           FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS s(id, seq, prev_hash, hash)
          WHERE e.tenant_id = $1 AND e.id = s.id)
       UPDATE audit_heads SET seq = $6, hash = $7 WHERE tenant_id = $1`,
      [tenantId, ids, seqs, prevs, hashes, seq, prev],
    );
    return rows.length;
  }
}
