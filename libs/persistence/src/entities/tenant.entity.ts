import type { GeoMode } from '@custos/contracts';
import type { AlertRuleOverrides, AuthPolicy, CustomRegionGroup, GeoPolicyRule, ReviewPolicy, UnknownLocationRule } from '@custos/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  /** What people type to sign in with the tenant's IdP (GET /v1/auth/sso/:tenantSlug/start); unique. */
  @Column('text') slug!: string;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
}

@Entity('tenant_policies')
export class TenantPolicyEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @Column('integer', { name: 'max_lifetime_seconds' }) maxLifetimeSeconds!: number;
  @Column('integer', { name: 'default_rotation_interval_seconds', nullable: true })
  defaultRotationIntervalSeconds!: number | null;
  @Column('integer', { name: 'default_grace_period_seconds' }) defaultGracePeriodSeconds!: number;
  @Column('integer', { name: 'disable_unused_after_days' }) disableUnusedAfterDays!: number;
  @Column('text', { name: 'require_consent_for', array: true }) requireConsentFor!: string[];
  /** Days usage events and their rollups are kept (1..3650). */
  @Column('integer', { name: 'usage_retention_days' }) usageRetentionDays!: number;
  /** Requests a service key may make per window on the API (verify aside). */
  @Column('integer', { name: 'api_rate_limit' }) apiRateLimit!: number;
  @Column('integer', { name: 'api_rate_window_seconds' }) apiRateWindowSeconds!: number;
  @Column('text', { name: 'geo_default_mode' }) geoDefaultMode!: GeoMode;
  @Column('text', { name: 'geo_default_residency_region', nullable: true }) geoDefaultResidencyRegion!: string | null;
  @Column('text', { name: 'geo_unknown_location' }) geoUnknownLocation!: UnknownLocationRule;
  @Column('jsonb', { name: 'geo_rules' }) geoRules!: GeoPolicyRule[];
  @Column('jsonb', { name: 'region_groups' }) regionGroups!: CustomRegionGroup[];
  /** What the tenant changed of the alert rules' defaults (alertRulesOf lays it over them). */
  @Column('jsonb', { name: 'alert_rules' }) alertRules!: AlertRuleOverrides;
  /** The acknowledgement SLA of alerts, in minutes (a compliance control counts against it). */
  @Column('integer', { name: 'alert_ack_within_minutes' }) alertAckWithinMinutes!: number;
  /** Remediation may suspend or revoke service keys that administer the tenant (TENANT_ADMINISTRATION_SCOPES). */
  @Column('boolean', { name: 'alert_remediate_owner_keys' }) alertRemediateOwnerKeys!: boolean;
  /** What the tenant set of the review policy (reviewPolicyOf lays it over the defaults). */
  @Column('jsonb') reviews!: Partial<ReviewPolicy>;
  /** Scheduled review periods count from here: set when a schedule is first given. */
  @Column('timestamptz', { name: 'reviews_anchor_at', nullable: true }) reviewsAnchorAt!: Date | null;
  /** What the tenant set of the sign-in policy (authPolicyOf lays it over the defaults). */
  @Column('jsonb') auth!: Partial<AuthPolicy>;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt!: Date;
}
