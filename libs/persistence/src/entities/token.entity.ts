import type { CreatedVia, GeoMode, JsonObject, TokenEnvironment, TokenStatus } from '@custos/contracts';
import { Column, Entity, PrimaryColumn, VirtualColumn } from 'typeorm';

/** Never leaves the server as-is: controllers map it to a response without secret_hash or pepper_id. */
@Entity('tokens')
export class TokenEntity {
  @PrimaryColumn('text', { name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn('text') id!: string;
  @Column('text') kind!: 'api_key';
  @Column('text') name!: string;
  @Column('text') environment!: TokenEnvironment;
  @Column('text', { name: 'owner_service_id', nullable: true }) ownerServiceId!: string | null;
  /** The user accountable for it; when none is named on insert, the database gives the default (migration 1765800000000). */
  @Column('text', { name: 'steward_user_id', nullable: true }) stewardUserId!: string | null;
  @Column('text', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('text', { name: 'created_via' }) createdVia!: CreatedVia;
  @Column('text', { name: 'lookup_id' }) lookupId!: string;
  @Column('text', { name: 'secret_hash' }) secretHash!: string;
  @Column('text', { name: 'pepper_id' }) pepperId!: string;
  @Column('text') last4!: string;
  @Column('text', { array: true }) scopes!: string[];
  @Column('text') status!: TokenStatus;
  @Column('timestamptz', { name: 'not_before', nullable: true }) notBefore!: Date | null;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'grace_ends_at', nullable: true }) graceEndsAt!: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'revoked_by', nullable: true }) revokedBy!: string | null;
  @Column('text', { name: 'revoked_reason', nullable: true }) revokedReason!: string | null;
  @Column('timestamptz', { name: 'suspended_at', nullable: true }) suspendedAt!: Date | null;
  @Column('text', { name: 'suspended_reason', nullable: true }) suspendedReason!: string | null;
  @Column('timestamptz', { name: 'resumed_at', nullable: true }) resumedAt!: Date | null;
  @Column('timestamptz', { name: 'unused_warned_at', nullable: true }) unusedWarnedAt!: Date | null;
  /** Set by a trigger from expires_at: when the next "expiring soon" notice is due. */
  @Column({ type: 'timestamptz', name: 'expiry_notice_at', nullable: true, insert: false, update: false })
  expiryNoticeAt!: Date | null;
  @Column('integer', { name: 'rotation_interval_seconds', nullable: true }) rotationIntervalSeconds!: number | null;
  @Column('integer', { name: 'grace_period_seconds', nullable: true }) gracePeriodSeconds!: number | null;
  @Column('timestamptz', { name: 'next_rotation_at', nullable: true }) nextRotationAt!: Date | null;
  @Column('text', { name: 'rotated_from_id', nullable: true }) rotatedFromId!: string | null;
  @Column('text', { name: 'root_id' }) rootId!: string;
  @Column('text', { name: 'allowed_cidrs', array: true }) allowedCidrs!: string[];
  @Column('text', { name: 'geo_mode', default: 'off' }) geoMode!: GeoMode;
  @Column('text', { name: 'residency_region', nullable: true }) residencyRegion!: string | null;
  @Column('text', { name: 'allowed_regions', array: true, default: () => "'{}'" }) allowedRegions!: string[];
  @Column('text', { name: 'allowed_countries', array: true, default: () => "'{}'" }) allowedCountries!: string[];
  /** Uses per window (rate_limit_window_seconds), counted across api instances for the lineage; null: none. */
  @Column('integer', { name: 'rate_limit', nullable: true }) rateLimit!: number | null;
  @Column('integer', { name: 'rate_limit_window_seconds', nullable: true }) rateLimitWindowSeconds!: number | null;
  @Column('integer', { name: 'max_uses', nullable: true }) maxUses!: number | null;
  /**
   * The uses left to the token's whole rotation lineage, counted on the lineage's root alone (null on
   * every other token of it): a successor never gets a fresh copy of its predecessor's uses.
   */
  @Column('integer', { name: 'remaining_uses', nullable: true }) remainingUses!: number | null;
  /** The lineage's remaining uses as read through any of its tokens (the root's counter). */
  @VirtualColumn('integer', {
    query: (t) => `SELECT r.remaining_uses FROM tokens r WHERE r.tenant_id = ${t}.tenant_id AND r.id = ${t}.root_id`,
  })
  lineageRemainingUses!: number | null;
  @Column('jsonb') metadata!: JsonObject;
  @Column('text', { name: 'consent_id', nullable: true }) consentId!: string | null;
  @Column('text', { name: 'data_categories', array: true }) dataCategories!: string[];
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt!: Date | null;
  @Column('text', { name: 'last_used_ip', nullable: true }) lastUsedIp!: string | null;
  @Column('text', { name: 'last_used_country', nullable: true }) lastUsedCountry!: string | null;
  /** Every country a VALID use came from (observed, never claimed); its regions follow from them. */
  @Column('text', { name: 'countries_seen', array: true, default: () => "'{}'" }) countriesSeen!: string[];
  @Column('timestamptz', { name: 'last_cross_border_at', nullable: true }) lastCrossBorderAt!: Date | null;
  @Column('bigint', { name: 'use_count', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  useCount!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
