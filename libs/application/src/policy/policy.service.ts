import { Injectable } from '@nestjs/common';
import { Database, TenantPolicyEntity, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';

export interface PolicyView {
  maxLifetimeSeconds: number;
  defaultRotationIntervalSeconds: number | null;
  defaultGracePeriodSeconds: number;
  disableUnusedAfterDays: number;
  updatedAt: string;
}

export type PolicyInput = Omit<PolicyView, 'updatedAt'>;

function toView(p: TenantPolicyEntity): PolicyView {
  return {
    maxLifetimeSeconds: p.maxLifetimeSeconds,
    defaultRotationIntervalSeconds: p.defaultRotationIntervalSeconds,
    defaultGracePeriodSeconds: p.defaultGracePeriodSeconds,
    disableUnusedAfterDays: p.disableUnusedAfterDays,
    updatedAt: p.updatedAt.toISOString(),
  };
}

@Injectable()
export class PolicyService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
  ) {}

  /** Inside another use case's transaction (issue, rotate). */
  async current(tx: Tx): Promise<TenantPolicyEntity> {
    return tx.manager.findOneByOrFail(TenantPolicyEntity, { tenantId: tx.tenantId! });
  }

  async get(principal: Principal): Promise<PolicyView> {
    requireScope(principal, 'custos:policy:read');
    return this.db.tenant(principal.tenantId, async (tx) => toView(await this.current(tx)));
  }

  async replace(principal: Principal, input: PolicyInput, meta: RequestMeta): Promise<PolicyView> {
    requireScope(principal, 'custos:policy:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const before = toView(await tx.manager.findOneOrFail(TenantPolicyEntity, {
        where: { tenantId: principal.tenantId },
        lock: { mode: 'pessimistic_write' },
      }));
      const updatedAt = new Date();
      await tx.manager.update(TenantPolicyEntity, { tenantId: principal.tenantId }, { ...input, updatedAt });
      const after: PolicyView = { ...input, updatedAt: updatedAt.toISOString() };
      await this.audit.record(tx, meta, {
        action: 'policy.updated',
        actor: actorOf(principal),
        target: { type: 'tenant', id: principal.tenantId },
        data: { before, after },
      });
      return after;
    });
  }
}
