import { isAllowed, type CustomRegionGroup } from './regions';
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

/**
 * The geofence a token's uses are held to by the compliance controls (personal data placed, health data
 * fenced, transfers inside the fence). Today the token's own columns (geoMode, residencyRegion,
 * allowedRegions, allowedCountries); the one place where the tenant policy's geo rules by data category
 * are to narrow it, so that every control judges the same fence.
 */
export function complianceGeofence(token: TokenGeoFacts): TokenGeofence {
  return token.geofence;
}

/** Whether the geofence allows particular regions or countries (one that names none allows everywhere). */
export function isFenced(fence: TokenGeofence): boolean {
  return fence.allowedRegions.length > 0 || fence.allowedCountries.length > 0;
}

/**
 * Why a token reaching personal data is not placed: it has no residency region (its uses cannot be told
 * cross-border), or its geo mode is off (uses outside its fence are neither refused nor flagged). Empty
 * when it is placed.
 */
export function residencyGaps(fence: TokenGeofence): string[] {
  const gaps: string[] = [];
  if (fence.residencyRegion === null) gaps.push('no residency region');
  if (fence.mode === 'off') gaps.push('geo mode off');
  return gaps;
}

/** Why a token reaching health data is not geofenced: its mode is not enforce, or it allows everywhere. Empty when it is. */
export function healthFenceGaps(fence: TokenGeofence): string[] {
  const gaps: string[] = [];
  if (fence.mode !== 'enforce') gaps.push(`geo mode ${fence.mode}`);
  if (!isFenced(fence)) gaps.push('no allowed regions or countries');
  return gaps;
}

/**
 * What uses of a token from a country outside its residency region amount to:
 * - `refused`: none was answered VALID (blocked by the geofence or refused for another reason): no data went;
 * - `inside`: let through, to a country the token's geofence allows;
 * - `unfenced`: let through, and the geofence names no regions or countries, so nothing says the
 *   destination is allowed;
 * - `outside`: let through to a country outside the geofence (monitor or off mode, or a fence narrowed since).
 */
export type TransferStanding = 'refused' | 'inside' | 'unfenced' | 'outside';

export function transferStanding(fence: TokenGeofence, country: string, letThrough: number, customGroups?: readonly CustomRegionGroup[] | null): TransferStanding {
  if (letThrough === 0) return 'refused';
  if (!isFenced(fence)) return 'unfenced';
  return isAllowed(country, fence, customGroups) ? 'inside' : 'outside';
}
