import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { TenantEntity } from '../entities';

/** The tenant row itself; what lives inside a tenant has repositories of its own. */
@Injectable()
export class TenantRepository {
  /** In the new tenant's own transaction (row-level security lets it insert only itself). */
  async insert(tx: Tx, tenant: { name: string; createdAt: Date }): Promise<TenantEntity> {
    const row = tx.manager.create(TenantEntity, { id: tx.tenantId!, name: tenant.name, createdAt: tenant.createdAt });
    await tx.manager.insert(TenantEntity, row);
    return row;
  }

  /** The transaction's own tenant. */
  current(tx: Tx): Promise<TenantEntity> {
    return tx.manager.findOneByOrFail(TenantEntity, { id: tx.tenantId! });
  }
}
