import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import { IpAllowList } from '@custos/domain';
import { Database, type Tx } from '@custos/persistence';
import { TokenCache, type TokenSnapshot } from './token-cache';

interface SnapshotRow {
  id: string;
  tenant_id: string;
  root_id: string;
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
  consent_valid_from: Date | null;
  consent_valid_until: Date | null;
  consent_withdrawn_at: Date | null;
  consent_required: boolean;
}

// The consent's window and the policy's consent rule come with the token: verify decides without
// another query, and every change to them drops the snapshot (withdraw, renew) or bounds its age (TTL).
// The uses left are the lineage's, counted on its root token.
const SELECT = `SELECT t.id, t.tenant_id, t.root_id, t.lookup_id, t.secret_hash, t.pepper_id, t.status, t.expires_at, t.grace_ends_at,
  t.not_before, t.scopes, t.allowed_cidrs, CASE WHEN t.max_uses IS NOT NULL THEN r.remaining_uses END AS remaining_uses,
  t.owner_service_id,
  c.valid_from AS consent_valid_from, c.valid_until AS consent_valid_until, c.withdrawn_at AS consent_withdrawn_at,
  (t.consent_id IS NULL AND t.data_categories && coalesce(p.require_consent_for, '{}')) AS consent_required
  FROM tokens t
  LEFT JOIN tokens r ON r.tenant_id = t.tenant_id AND r.id = t.root_id
  LEFT JOIN consents c ON c.tenant_id = t.tenant_id AND c.id = t.consent_id
  LEFT JOIN tenant_policies p ON p.tenant_id = t.tenant_id
  WHERE t.lookup_id = $1`;

/**
 * Loads snapshots through the cache; the database is asked only on a miss, and only once per lookup
 * id however many requests miss at the same moment (no stampede when a hot entry expires).
 */
@Injectable()
export class TokenSnapshots {
  private readonly inFlight = new Map<string, { pending: Promise<TokenSnapshot | null>; generation: number }>();

  constructor(
    private readonly db: Database,
    private readonly cache: TokenCache,
  ) {}

  /** Within a known tenant: another tenant's token is simply not there. */
  async inTenant(tenantId: string, lookupId: string): Promise<TokenSnapshot | null> {
    const snapshot = this.cache.get(lookupId) ?? (await this.loadOnce(lookupId));
    return snapshot?.tenantId === tenantId ? snapshot : null;
  }

  /** For authentication, where the tenant is not known yet. */
  async anyTenant(lookupId: string): Promise<TokenSnapshot | null> {
    return this.cache.get(lookupId) ?? this.loadOnce(lookupId);
  }

  private loadOnce(lookupId: string): Promise<TokenSnapshot | null> {
    const generation = this.cache.generation;
    const joined = this.inFlight.get(lookupId);
    // A read that began before a drop may have seen the row as it was: join only reads begun since.
    if (joined?.generation === generation) return joined.pending;
    const pending = this.db
      .system(async (tx) => {
        // Resolve the tenant and enter it in one transaction: RLS then shows only that tenant's row.
        const found = await tx.one<{ tenant_id: string | null }>(
          `SELECT set_config('app.tenant_id', coalesce(custos_resolve_token($1), ''), true) AS tenant_id`,
          [lookupId],
        );
        return found?.tenant_id ? this.load(tx, lookupId, generation) : null;
      })
      .finally(() => {
        if (this.inFlight.get(lookupId)?.pending === pending) this.inFlight.delete(lookupId);
      });
    this.inFlight.set(lookupId, { pending, generation });
    return pending;
  }

  /**
   * Consumes one use of the token's lineage atomically (one row, its root: a successor and its
   * predecessor in grace draw on the same count); false when none was left.
   */
  async consumeUse(snapshot: TokenSnapshot): Promise<boolean> {
    const row = await this.db.tenant(snapshot.tenantId, (tx) =>
      tx.one<{ remaining_uses: number }>(
        `UPDATE tokens SET remaining_uses = remaining_uses - 1 WHERE id = $1 AND remaining_uses > 0 RETURNING remaining_uses`,
        [snapshot.rootId],
      ),
    );
    snapshot.remainingUses = row ? row.remaining_uses : 0;
    return row !== undefined;
  }

  private async load(tx: Tx, lookupId: string, generation: number): Promise<TokenSnapshot | null> {
    const row = await tx.one<SnapshotRow>(SELECT, [lookupId]);
    if (!row) return null;
    const snapshot: TokenSnapshot = {
      id: row.id,
      tenantId: row.tenant_id,
      rootId: row.root_id,
      lookupId: row.lookup_id,
      secretHash: row.secret_hash,
      pepperId: row.pepper_id,
      status: row.status,
      expiresAt: row.expires_at,
      expiresAtIso: row.expires_at.toISOString(),
      graceEndsAt: row.grace_ends_at,
      notBefore: row.not_before,
      scopes: row.scopes,
      allowList: new IpAllowList(row.allowed_cidrs),
      remainingUses: row.remaining_uses,
      ownerServiceId: row.owner_service_id,
      consent: row.consent_valid_from
        ? { validFrom: row.consent_valid_from, validUntil: row.consent_valid_until!, withdrawnAt: row.consent_withdrawn_at }
        : null,
      consentRequired: row.consent_required,
    };
    this.cache.set(snapshot, generation);
    return snapshot;
  }
}
