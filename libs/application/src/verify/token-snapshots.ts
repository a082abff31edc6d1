import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import { IpAllowList } from '@custos/domain';
import { Database, type Tx } from '@custos/persistence';
import { TokenCache, type TokenSnapshot } from './token-cache';

interface SnapshotRow {
  id: string;
  tenant_id: string;
  lookup_id: string;
  secret_hash: string;
  pepper_id: string;
  status: TokenStatus;
  expires_at: Date;
  grace_ends_at: Date | null;
  not_before: Date | null;
  scopes: string[];
  allowed_cidrs: string[];
  remaining_uses: number | null;
  owner_service_id: string | null;
}

const SELECT = `SELECT id, tenant_id, lookup_id, secret_hash, pepper_id, status, expires_at, grace_ends_at, not_before,
  scopes, allowed_cidrs, remaining_uses, owner_service_id FROM tokens WHERE lookup_id = $1`;

/** Loads snapshots through the cache; the database is asked only on a miss. */
@Injectable()
export class TokenSnapshots {
  constructor(
    private readonly db: Database,
    private readonly cache: TokenCache,
  ) {}

  /** Within a known tenant: another tenant's token is simply not there. */
  async inTenant(tenantId: string, lookupId: string): Promise<TokenSnapshot | null> {
    const cached = this.cache.get(lookupId);
    if (cached) return cached.tenantId === tenantId ? cached : null;
    return this.db.tenant(tenantId, (tx) => this.load(tx, lookupId));
  }

  /** For authentication, where the tenant is not known yet. */
  async anyTenant(lookupId: string): Promise<TokenSnapshot | null> {
    const cached = this.cache.get(lookupId);
    if (cached) return cached;
    const found = await this.db.system((tx) =>
      tx.one<{ tenant_id: string | null }>(`SELECT custos_resolve_token($1) AS tenant_id`, [lookupId]),
    );
    if (!found?.tenant_id) return null;
    return this.db.tenant(found.tenant_id, (tx) => this.load(tx, lookupId));
  }

  /** Consumes one use atomically; false when none was left. */
  async consumeUse(snapshot: TokenSnapshot): Promise<boolean> {
    const row = await this.db.tenant(snapshot.tenantId, (tx) =>
      tx.one<{ remaining_uses: number }>(
        `UPDATE tokens SET remaining_uses = remaining_uses - 1 WHERE id = $1 AND remaining_uses > 0 RETURNING remaining_uses`,
        [snapshot.id],
      ),
    );
    snapshot.remainingUses = row ? row.remaining_uses : 0;
    return row !== undefined;
  }

  private async load(tx: Tx, lookupId: string): Promise<TokenSnapshot | null> {
    const row = await tx.one<SnapshotRow>(SELECT, [lookupId]);
    if (!row) return null;
    const snapshot: TokenSnapshot = {
      id: row.id,
      tenantId: row.tenant_id,
      lookupId: row.lookup_id,
      secretHash: row.secret_hash,
      pepperId: row.pepper_id,
      status: row.status,
      expiresAt: row.expires_at,
      graceEndsAt: row.grace_ends_at,
      notBefore: row.not_before,
      scopes: row.scopes,
      allowList: new IpAllowList(row.allowed_cidrs),
      remainingUses: row.remaining_uses,
      ownerServiceId: row.owner_service_id,
    };
    this.cache.set(snapshot);
    return snapshot;
  }
}
