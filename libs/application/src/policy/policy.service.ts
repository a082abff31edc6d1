import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  alertRuleOverridesOf,
  alertRulesOf,
  authPolicyOf,
  authPolicyProblems,
  type AuthPolicy,
  geoPolicyProblems,
  mergeAlertRules,
  type AlertRuleOverrides,
  reviewPolicyOf,
  reviewPolicyProblems,
  type AlertRuleTable,
  type ReviewPolicy,
  type TenantGeoPolicy,
  type TokenRateLimit,
} from '@custos/domain';
import { Database, PolicyRepository, type TenantPolicyEntity, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { assertSteppedUp } from '../auth/step-up';
import { TokenChanges } from '../feed/token-changes';

export interface PolicyView {
  maxLifetimeSeconds: number;
  defaultRotationIntervalSeconds: number | null;
  defaultGracePeriodSeconds: number;
  disableUnusedAfterDays: number;
  /** Data categories a token may only reach when bound to a consent. */
  requireConsentFor: string[];
  /** Days usage events and their rollups are kept. */
  usageRetentionDays: number;
  /** Requests each service key may make on the API per window (verify aside). */
  apiRateLimit: TokenRateLimit;
  geo: TenantGeoPolicy;
  alerts: AlertPolicy;
  /** Access review campaigns: their schedule and defaults (docs/access-reviews.md). */
  reviews: ReviewPolicy;
  /** How people sign in: MFA required per role, step-up window, session limits (docs/authentication.md). */
  auth: AuthPolicy;
  updatedAt: string;
}

/** How the tenant's alert rules behave (docs/alerts.md). */
export interface AlertPolicy {
  /** Every rule, with what the tenant changed laid over its defaults. */
  rules: AlertRuleTable;
  /** Alerts should be acknowledged within this many minutes (the compliance control's SLA). */
  ackWithinMinutes: number;
  /** Remediation may suspend or revoke service keys that administer the tenant; off by default. */
  remediateOwnerServiceKeys: boolean;
}

/** What a PUT says about alerts: rules it leaves out, and fields of a rule it leaves out, keep their settings. */
export interface AlertPolicyInput {
  rules?: AlertRuleOverrides;
  ackWithinMinutes?: number;
  remediateOwnerServiceKeys?: boolean;
}

/** The fields a PUT may leave out, keeping their current values: they came later than the others. */
type LaterFields = 'requireConsentFor' | 'usageRetentionDays' | 'apiRateLimit';

/** A PUT without one of the later fields keeps its current value; so does a `geo` without one of its fields. */
export type PolicyInput = Omit<PolicyView, 'updatedAt' | LaterFields | 'geo' | 'alerts' | 'reviews' | 'auth'> & { [K in LaterFields]?: PolicyView[K] | undefined } & {
  geo?: Partial<TenantGeoPolicy> | undefined;
  alerts?: AlertPolicyInput | undefined;
  reviews?: Partial<ReviewPolicy> | undefined;
  auth?: Partial<AuthPolicy> | undefined;
};

/** The geo part of a stored policy. */
export function geoPolicyOf(p: TenantPolicyEntity): TenantGeoPolicy {
  return {
    defaultMode: p.geoDefaultMode,
    defaultResidencyRegion: p.geoDefaultResidencyRegion,
    unknownLocation: p.geoUnknownLocation,
    rules: p.geoRules,
    regionGroups: p.regionGroups,
  };
}

/** The alert part of a stored policy. */
export function alertPolicyOf(p: TenantPolicyEntity): AlertPolicy {
  return { rules: alertRulesOf(p.alertRules), ackWithinMinutes: p.alertAckWithinMinutes, remediateOwnerServiceKeys: p.alertRemediateOwnerKeys };
}

function toView(p: TenantPolicyEntity): PolicyView {
  return {
    maxLifetimeSeconds: p.maxLifetimeSeconds,
    defaultRotationIntervalSeconds: p.defaultRotationIntervalSeconds,
    defaultGracePeriodSeconds: p.defaultGracePeriodSeconds,
    disableUnusedAfterDays: p.disableUnusedAfterDays,
    requireConsentFor: p.requireConsentFor,
    usageRetentionDays: p.usageRetentionDays,
    apiRateLimit: { limit: p.apiRateLimit, windowSeconds: p.apiRateWindowSeconds },
    geo: geoPolicyOf(p),
    alerts: alertPolicyOf(p),
    reviews: reviewPolicyOf(p.reviews),
    auth: authPolicyOf(p.auth),
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
    private readonly tokenChanges: TokenChanges,
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

  /** A service key's budget of API requests, read through the same short cache. */
  apiRateLimitOf(tenantId: string): Promise<TokenRateLimit> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return Promise.resolve({ limit: hit.policy.apiRateLimit, windowSeconds: hit.policy.apiRateWindowSeconds });
    return this.db.tenant(tenantId, async (tx) => {
      const policy = await this.current(tx);
      return { limit: policy.apiRateLimit, windowSeconds: policy.apiRateWindowSeconds };
    });
  }

  async get(principal: Principal): Promise<PolicyView> {
    requireScope(principal, 'custos:policy:read');
    return this.db.tenant(principal.tenantId, async (tx) => toView(await this.current(tx)));
  }

  async replace(principal: Principal, input: PolicyInput, meta: RequestMeta): Promise<PolicyView> {
    requireScope(principal, 'custos:policy:write');
    assertSteppedUp(principal);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const stored = await this.policies.lock(tx);
      const before = toView(stored);
      const updatedAt = new Date();
      const merged = mergeAlertRules(before.alerts.rules, input.alerts?.rules ?? {});
      const after: PolicyView = {
        maxLifetimeSeconds: input.maxLifetimeSeconds,
        defaultRotationIntervalSeconds: input.defaultRotationIntervalSeconds,
        defaultGracePeriodSeconds: input.defaultGracePeriodSeconds,
        disableUnusedAfterDays: input.disableUnusedAfterDays,
        requireConsentFor: input.requireConsentFor ? [...new Set(input.requireConsentFor)] : before.requireConsentFor,
        usageRetentionDays: input.usageRetentionDays ?? before.usageRetentionDays,
        apiRateLimit: input.apiRateLimit ?? before.apiRateLimit,
        geo: { ...before.geo, ...definedFieldsOf(input.geo) },
        alerts: {
          rules: merged.rules,
          ackWithinMinutes: input.alerts?.ackWithinMinutes ?? before.alerts.ackWithinMinutes,
          remediateOwnerServiceKeys: input.alerts?.remediateOwnerServiceKeys ?? before.alerts.remediateOwnerServiceKeys,
        },
        reviews: { ...before.reviews, ...definedFieldsOf(input.reviews) },
        auth: withUniqueRoles({ ...before.auth, ...definedFieldsOf(input.auth) }),
        updatedAt: updatedAt.toISOString(),
      };
      const problems = [...geoPolicyProblems(after.geo), ...merged.problems, ...reviewPolicyProblems(after.reviews), ...authPolicyProblems(after.auth)];
      if (problems.length > 0) throw DomainError.validation(problems);
      await this.policies.update(tx, {
        maxLifetimeSeconds: after.maxLifetimeSeconds,
        defaultRotationIntervalSeconds: after.defaultRotationIntervalSeconds,
        defaultGracePeriodSeconds: after.defaultGracePeriodSeconds,
        disableUnusedAfterDays: after.disableUnusedAfterDays,
        requireConsentFor: after.requireConsentFor,
        usageRetentionDays: after.usageRetentionDays,
        apiRateLimit: after.apiRateLimit.limit,
        apiRateWindowSeconds: after.apiRateLimit.windowSeconds,
        geoDefaultMode: after.geo.defaultMode,
        geoDefaultResidencyRegion: after.geo.defaultResidencyRegion,
        geoUnknownLocation: after.geo.unknownLocation,
        geoRules: [...after.geo.rules],
        regionGroups: [...after.geo.regionGroups],
        alertRules: alertRuleOverridesOf(after.alerts.rules),
        alertAckWithinMinutes: after.alerts.ackWithinMinutes,
        alertRemediateOwnerKeys: after.alerts.remediateOwnerServiceKeys,
        reviews: after.reviews,
        auth: after.auth,
        // Scheduled periods count from when a schedule is first given; changing its interval keeps the count's start.
        reviewsAnchorAt: after.reviews.intervalDays === null ? null : (stored.reviewsAnchorAt ?? updatedAt),
        updatedAt,
      });
      // Verify applies the consent and geo rules from its cached snapshots: a change must reach them at once.
      const verifyRulesChanged =
        !sameMembers(before.requireConsentFor, after.requireConsentFor) ||
        JSON.stringify([before.geo.unknownLocation, before.geo.rules, before.geo.regionGroups]) !==
          JSON.stringify([after.geo.unknownLocation, after.geo.rules, after.geo.regionGroups]);
      tx.afterCommit(() => void this.cache.delete(principal.tenantId));
      if (verifyRulesChanged) this.tokenChanges.tenantAfterCommit(tx, principal.tenantId);
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

function withUniqueRoles(auth: AuthPolicy): AuthPolicy {
  return Array.isArray(auth.requireMfaForRoles) ? { ...auth, requireMfaForRoles: [...new Set(auth.requireMfaForRoles)] } : auth;
}

/** The fields given, so that spreading them over the current ones keeps those left out. */
function definedFieldsOf<T extends object>(partial: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(partial ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}
