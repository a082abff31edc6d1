import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { TenantPolicyEntity } from '../entities';

/** What a policy replacement may change. */
export type PolicyChanges = Omit<TenantPolicyEntity, 'tenantId'>;

/** The tenant's policy: one row per tenant, made with the tenant (the columns' defaults). */
@Injectable()
export class PolicyRepository {
  async insertDefaults(tx: Tx): Promise<void> {
    await tx.manager.insert(TenantPolicyEntity, { tenantId: tx.tenantId! });
  }

  get(tx: Tx): Promise<TenantPolicyEntity> {
    return tx.manager.findOneByOrFail(TenantPolicyEntity, { tenantId: tx.tenantId! });
  }

  /** Locked until the transaction ends, for a replacement that audits what it replaced. */
  async lock(tx: Tx): Promise<TenantPolicyEntity> {
    await tx.rows(`SELECT 1 FROM tenant_policies WHERE tenant_id = $1 FOR UPDATE`, [tx.tenantId]);
    return tx.manager.findOneByOrFail(TenantPolicyEntity, { tenantId: tx.tenantId! });
  }

  async update(tx: Tx, changes: PolicyChanges): Promise<void> {
    await tx.manager.update(TenantPolicyEntity, { tenantId: tx.tenantId! }, changes);
  }
}
