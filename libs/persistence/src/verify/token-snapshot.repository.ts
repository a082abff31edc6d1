import { Injectable } from '@nestjs/common';
import type { GeoMode, TokenStatus } from '@custos/contracts';
import { geoRestrictionsOf, IpAllowList, type CustomRegionGroup, type GeoPolicyRule, type UnknownLocationRule, type VerifiableToken } from '@custos/domain';
import { keyActorName } from '../accounts/actor.repository';
import type { TenantResolver, Tx } from '../database/database';

/** What verify and service-key authentication need of a token, without touching the database. */
export interface TokenSnapshot extends VerifiableToken {
  id: string;
  tenantId: string;
  /** The first token of its rotation lineage, which keeps the lineage's use count. */
  rootId: string;
  lookupId: string;
  secretHash: string;
  pepperId: string;
  ownerServiceId: string | null;
  /** The name the token acts under when it is a service key (its service's, or its own): the caller's name on what it changes. */
  actorName: string;
  /** The CIDRs `allowList` was compiled from, for a verify answer's cache hint. */
  allowedCidrs: readonly string[];
  /** `expiresAt` as the verify answer gives it, formatted once per load rather than per request. */
  expiresAtIso: string;
}

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
  geo_mode: GeoMode;
  residency_region: string | null;
  allowed_regions: string[];
  allowed_countries: string[];
  data_categories: string[];
  rate_limit: number | null;
  rate_limit_window_seconds: number | null;
  geo_unknown_location: UnknownLocationRule | null;
  geo_rules: GeoPolicyRule[] | null;
  region_groups: CustomRegionGroup[] | null;
  remaining_uses: number | null;
  owner_service_id: string | null;
  actor_name: string;
  consent_valid_from: Date | null;
  consent_valid_until: Date | null;
  consent_withdrawn_at: Date | null;
  consent_required: boolean;
}

// The consent's window and the policy's consent and geo rules come with the token: verify decides without
// another query, and every change to them drops the snapshot (withdraw, renew, policy) or bounds its age (TTL).
// The uses left are the lineage's, counted on its root token.
const SELECT = `SELECT t.id, t.tenant_id, t.root_id, t.lookup_id, t.secret_hash, t.pepper_id, t.status, t.expires_at, t.grace_ends_at,
  t.not_before, t.scopes, t.allowed_cidrs, t.geo_mode, t.residency_region, t.allowed_regions, t.allowed_countries,
  t.data_categories, t.rate_limit, t.rate_limit_window_seconds, p.geo_unknown_location, p.geo_rules, p.region_groups, CASE WHEN t.max_uses IS NOT NULL THEN r.remaining_uses END AS remaining_uses,
  t.owner_service_id, ${keyActorName('t', 's')} AS actor_name,
  c.valid_from AS consent_valid_from, c.valid_until AS consent_valid_until, c.withdrawn_at AS consent_withdrawn_at,
  (t.consent_id IS NULL AND t.data_categories && coalesce(p.require_consent_for, '{}')) AS consent_required
  FROM tokens t
  LEFT JOIN tokens r ON r.tenant_id = t.tenant_id AND r.id = t.root_id
  LEFT JOIN consents c ON c.tenant_id = t.tenant_id AND c.id = t.consent_id
  LEFT JOIN tenant_policies p ON p.tenant_id = t.tenant_id
  LEFT JOIN services s ON s.tenant_id = t.tenant_id AND s.id = t.owner_service_id
  WHERE t.lookup_id = $1`;

function snapshotOf(row: SnapshotRow): TokenSnapshot {
  return {
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
    allowedCidrs: row.allowed_cidrs,
    geo: geoRestrictionsOf(
      { mode: row.geo_mode, residencyRegion: row.residency_region, allowedRegions: row.allowed_regions, allowedCountries: row.allowed_countries },
      row.data_categories,
      {
        defaultMode: 'off',
        defaultResidencyRegion: null,
        unknownLocation: row.geo_unknown_location ?? 'allow',
        rules: row.geo_rules ?? [],
        regionGroups: row.region_groups ?? [],
      },
    ),
    rateLimit: row.rate_limit !== null && row.rate_limit_window_seconds !== null ? { limit: row.rate_limit, windowSeconds: row.rate_limit_window_seconds } : null,
    remainingUses: row.remaining_uses,
    ownerServiceId: row.owner_service_id,
    actorName: row.actor_name,
    consent: row.consent_valid_from
      ? { validFrom: row.consent_valid_from, validUntil: row.consent_valid_until!, withdrawnAt: row.consent_withdrawn_at }
      : null,
    consentRequired: row.consent_required,
  };
}

/** The verify hot path's reads and its one write: a token as verify sees it, and its lineage's use count. */
@Injectable()
export class TokenSnapshotRepository {
  /** The tenant of a lookup id, whichever it is (for Database.tenantResolvedBy). */
  tenantOf(lookupId: string): TenantResolver {
    return { expression: 'custos_resolve_token($1)', params: [lookupId] };
  }

  /** In the transaction's tenant: another tenant's token is not there. */
  async findByLookupId(tx: Tx, lookupId: string): Promise<TokenSnapshot | null> {
    const row = await tx.one<SnapshotRow>(SELECT, [lookupId]);
    return row ? snapshotOf(row) : null;
  }

  /**
   * Takes one use from the lineage whose root is `rootId`, atomically (one row: a successor and its
   * predecessor in grace draw on the same count); the uses left after it, or undefined when none was.
   */
  async consumeUse(tx: Tx, rootId: string): Promise<number | undefined> {
    const row = await tx.one<{ remaining_uses: number }>(
      `UPDATE tokens SET remaining_uses = remaining_uses - 1 WHERE id = $1 AND remaining_uses > 0 RETURNING remaining_uses`,
      [rootId],
    );
    return row?.remaining_uses;
  }
}
