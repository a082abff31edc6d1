import { geoRestrictionsOf, type GeoRestrictions, type TenantGeoPolicy } from './geo-policy';
import { isAllowed } from './regions';
import type { TokenGeofence } from './token-geofence';

/**
 * Data categories that are personal data in every tenant: `personal`, and `health` (a special category
 * under GDPR Art. 9). A tenant's policy may name more (requireConsentFor): the compliance controls add those.
 */
export const PERSONAL_DATA_CATEGORIES: readonly string[] = Object.freeze(['personal', 'health']);

/** Data categories of health data (GDPR Art. 9, ePHI under HIPAA). */
export const HEALTH_DATA_CATEGORIES: readonly string[] = Object.freeze(['health']);

/** What the compliance controls hold a token's geography against: the data it reaches and its own geofence. */
export interface TokenGeoFacts {
  dataCategories: readonly string[];
  geofence: TokenGeofence;
}

/** A token's geography as the compliance controls judge it. */
export interface JudgedGeofence {
  /** The token's own columns. */
  own: TokenGeofence;
  /**
   * Its effective restriction, as verify applies it: its own fence and the fences of the tenant policy's
   * geo rules naming one of its data categories, with the tenant's region groups.
   */
  restrictions: GeoRestrictions;
}

/**
 * The geofence a token's uses are held to by the compliance controls (personal data placed, health data
 * fenced, transfers inside the fence): the one place that decides it, so that every control judges the
 * fence verify enforces.
 */
export function complianceGeofence(token: TokenGeoFacts, policy: TenantGeoPolicy): JudgedGeofence {
  return { own: token.geofence, restrictions: geoRestrictionsOf(token.geofence, token.dataCategories, policy) };
}

/** Whether the geofence allows particular regions or countries (one that names none allows everywhere). */
export function isFenced(fence: TokenGeofence): boolean {
  return fence.allowedRegions.length > 0 || fence.allowedCountries.length > 0;
}

/**
 * Why a token reaching personal data is not placed: it has no residency region (its uses cannot be told
 * cross-border), or its geo mode is off and no policy rule fences its data (uses from anywhere are neither
 * refused nor flagged). Empty when it is placed.
 */
export function residencyGaps({ own, restrictions }: JudgedGeofence): string[] {
  const gaps: string[] = [];
  if (restrictions.residencyRegion === null) gaps.push('no residency region');
  if (own.mode === 'off' && restrictions.fences.length === 0) gaps.push('geo mode off');
  return gaps;
}

/**
 * Why a token reaching health data is not geofenced: no enforced fence (its own or a policy rule's) names
 * the regions or countries it may be used from. Empty when one does; else what its own fence lacks.
 */
export function healthFenceGaps({ own, restrictions }: JudgedGeofence): string[] {
  if (restrictions.fences.some((fence) => fence.mode === 'enforce')) return [];
  const gaps: string[] = [];
  if (own.mode !== 'enforce') gaps.push(`geo mode ${own.mode}`);
  if (!isFenced(own)) gaps.push('no allowed regions or countries');
  return gaps;
}

/**
 * What uses of a token from a country outside its residency region amount to:
 * - `refused`: none was answered VALID (blocked by the geofence or refused for another reason): no data went;
 * - `inside`: let through, to a country every fence of the token allows;
 * - `unfenced`: let through, and no fence (its own or a policy rule's) names regions or countries, so
 *   nothing says the destination is allowed;
 * - `outside`: let through to a country outside a fence (a monitored one, or one narrowed since).
 */
export type TransferStanding = 'refused' | 'inside' | 'unfenced' | 'outside';

export function transferStanding({ restrictions }: JudgedGeofence, country: string, letThrough: number): TransferStanding {
  if (letThrough === 0) return 'refused';
  if (restrictions.fences.length === 0) return 'unfenced';
  return restrictions.fences.every((fence) => isAllowed(country, fence, restrictions.customGroups)) ? 'inside' : 'outside';
}
