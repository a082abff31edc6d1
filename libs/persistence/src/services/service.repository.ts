import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { ServiceEntity } from '../entities';

/** What an update may change of a service. */
export type ServiceChanges = Partial<Pick<ServiceEntity, 'name' | 'description' | 'ownerContact' | 'allowedScopes' | 'publicJwk' | 'stewardUserId'>>;

/** The services of a tenant (its own applications that tokens belong to). */
@Injectable()
export class ServiceRepository {
  async insert(tx: Tx, service: ServiceEntity): Promise<void> {
    await tx.manager.insert(ServiceEntity, service);
  }

  /** By name. */
  list(tx: Tx): Promise<ServiceEntity[]> {
    return tx.manager.find(ServiceEntity, { order: { name: 'ASC' } });
  }

  findById(tx: Tx, id: string): Promise<ServiceEntity | null> {
    return tx.manager.findOneBy(ServiceEntity, { id });
  }

  /** Locked until the transaction ends, for an update that audits what it replaced. */
  async lockById(tx: Tx, id: string): Promise<ServiceEntity | null> {
    const locked = await tx.rows(`SELECT 1 FROM services WHERE id = $1 FOR UPDATE`, [id]);
    return locked.length > 0 ? tx.manager.findOneBy(ServiceEntity, { id }) : null;
  }

  async update(tx: Tx, id: string, changes: ServiceChanges & { updatedAt: Date }): Promise<void> {
    await tx.manager.update(ServiceEntity, { tenantId: tx.tenantId!, id }, changes);
  }
}
