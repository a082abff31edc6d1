import { Inject, Injectable } from '@nestjs/common';
import { Database, TokenSnapshotRepository } from '@custos/persistence';
import { andThen, type MaybePromise } from '../shared/maybe-promise';
import { TokenCache, type TokenSnapshot } from './token-cache';

/** What loading and consuming snapshots asks of the database. */
export type SnapshotReads = Pick<TokenSnapshotRepository, 'tenantOf' | 'findByLookupId' | 'consumeUse'>;

/**
 * Loads snapshots through the cache; the database is asked only on a miss, and only once per lookup
 * id however many requests miss at the same moment (no stampede when a hot entry expires).
 */
@Injectable()
export class TokenSnapshots {
  constructor(
    private readonly db: Database,
    private readonly cache: TokenCache,
    @Inject(TokenSnapshotRepository) private readonly snapshots: SnapshotReads,
  ) {}

  /** Within a known tenant: another tenant's token is simply not there. A cached snapshot comes at once. */
  inTenant(tenantId: string, lookupId: string): MaybePromise<TokenSnapshot | null> {
    return andThen(this.anyTenant(lookupId), (snapshot) => (snapshot?.tenantId === tenantId ? snapshot : null));
  }

  /** For authentication, where the tenant is not known yet. A cached snapshot comes at once. */
  anyTenant(lookupId: string): MaybePromise<TokenSnapshot | null> {
    return this.cache.get(lookupId) ?? this.cache.fetch(lookupId, this.load);
  }

  /**
   * Consumes one use of the token's lineage atomically (one row, its root: a successor and its
   * predecessor in grace draw on the same count); false when none was left.
   */
  async consumeUse(snapshot: TokenSnapshot): Promise<boolean> {
    const left = await this.db.tenant(snapshot.tenantId, (tx) => this.snapshots.consumeUse(tx, snapshot.rootId));
    snapshot.remainingUses = left ?? 0;
    return left !== undefined;
  }

  /** Resolves the token's tenant and reads it as that tenant, in one transaction: RLS then shows only that tenant's row. */
  private readonly load = async (lookupId: string): Promise<TokenSnapshot | null> =>
    (await this.db.tenantResolvedBy(this.snapshots.tenantOf(lookupId), (tx) => this.snapshots.findByLookupId(tx, lookupId))) ?? null;
}
