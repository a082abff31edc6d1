import { Inject, Injectable } from '@nestjs/common';
import { Database, PolicyRepository, type TenantPolicyEntity, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { TokenCache } from '../verify/token-cache';

export interface PolicyView {
  maxLifetimeSeconds: number;
  defaultRotationIntervalSeconds: number | null;
  defaultGracePeriodSeconds: number;
  disableUnusedAfterDays: number;
  /** Data categories a token may only reach when bound to a consent. */
  requireConsentFor: string[];
  updatedAt: string;
}

/** A PUT without requireConsentFor keeps the current list (it came later than the other fields). */
export type PolicyInput = Omit<PolicyView, 'updatedAt' | 'requireConsentFor'> & { requireConsentFor?: string[] | undefined };

function toView(p: TenantPolicyEntity): PolicyView {
  return {
    maxLifetimeSeconds: p.maxLifetimeSeconds,
    defaultRotationIntervalSeconds: p.defaultRotationIntervalSeconds,
    defaultGracePeriodSeconds: p.defaultGracePeriodSeconds,
    disableUnusedAfterDays: p.disableUnusedAfterDays,
    requireConsentFor: p.requireConsentFor,
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** How long another instance may apply a replaced policy: issuing reads it on every request. */
export const POLICY_CACHE_MS = 5000;

export type PolicyStore = Pick<PolicyRepository, 'get' | 'lock' | 'update'>;

@Injectable()
export class PolicyService {
  private readonly cache = new Map<string, { policy: TenantPolicyEntity; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly tokenCache: TokenCache,
    @Inject(PolicyRepository) private readonly policies: PolicyStore,
  ) {}

  /** Inside another use case's transaction (issue, rotate); cached briefly, dropped here on replace. */
  async current(tx: Tx): Promise<TenantPolicyEntity> {
    const tenantId = tx.tenantId!;
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.policy;
    const policy = await this.policies.get(tx);
    this.cache.set(tenantId, { policy, until: Date.now() + POLICY_CACHE_MS });
    return policy;
  }

  async get(principal: Principal): Promise<PolicyView> {
    requireScope(principal, 'custos:policy:read');
    return this.db.tenant(principal.tenantId, async (tx) => toView(await this.current(tx)));
  }

  async replace(principal: Principal, input: PolicyInput, meta: RequestMeta): Promise<PolicyView> {
    requireScope(principal, 'custos:policy:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const before = toView(await this.policies.lock(tx));
      const updatedAt = new Date();
      const requireConsentFor = input.requireConsentFor ? [...new Set(input.requireConsentFor)] : before.requireConsentFor;
      await this.policies.update(tx, { ...input, requireConsentFor, updatedAt });
      const after: PolicyView = { ...input, requireConsentFor, updatedAt: updatedAt.toISOString() };
      // Verify applies requireConsentFor from its cached snapshots: a change must reach them at once.
      const consentRuleChanged = !sameMembers(before.requireConsentFor, requireConsentFor);
      tx.afterCommit(async () => {
        this.cache.delete(principal.tenantId);
        if (consentRuleChanged) await this.tokenCache.invalidateTenants([principal.tenantId]);
      });
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

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}
