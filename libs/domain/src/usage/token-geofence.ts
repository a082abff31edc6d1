import type { GeoMode } from '@custos/contracts';
import { countriesOf, isAllowed, isRegionCode, unknownCountryCodes, unknownRegionCodes, type CustomRegionGroup } from './regions';

/** A token's residency and geofence, as issued or narrowed. */
export interface TokenGeofence {
  mode: GeoMode;
  /** The region its data belong to: a use from outside it is a cross-border transfer. */
  residencyRegion: string | null;
  allowedRegions: readonly string[];
  allowedCountries: readonly string[];
}

export const NO_GEOFENCE: TokenGeofence = Object.freeze({ mode: 'off', residencyRegion: null, allowedRegions: [], allowedCountries: [] });

/** What a use from `country` means for the token: refused, flagged, and whether it crosses a border. */
export interface GeoVerdict {
  blocked: boolean;
  /** Outside the geofence in monitor mode: answered as usual, recorded as flagged. */
  flagged: boolean;
  crossBorder: boolean;
}

const MODE_STRENGTH: Record<GeoMode, number> = { off: 0, monitor: 1, enforce: 2 };

/**
 * Whether `next` loosens `current`: a weaker mode, a changed residency, or a geofence allowing a country
 * the current one does not (from fenced to unfenced included). Loosening a restriction needs more than
 * editing a token (like widening an IP allow-list).
 */
export function loosensGeofence(current: TokenGeofence, next: TokenGeofence, customGroups?: readonly CustomRegionGroup[] | null): boolean {
  if (MODE_STRENGTH[next.mode] < MODE_STRENGTH[current.mode]) return true;
  if (next.residencyRegion !== current.residencyRegion && current.residencyRegion !== null) return true;
  const currentFenced = current.allowedRegions.length > 0 || current.allowedCountries.length > 0;
  if (!currentFenced) return false;
  const nextFenced = next.allowedRegions.length > 0 || next.allowedCountries.length > 0;
  if (!nextFenced) return true;
  for (const country of expand(next, customGroups)) if (!isAllowed(country, current, customGroups)) return true;
  return false;
}

/** The countries a geofence allows: its countries and its regions' countries. */
function expand(geofence: TokenGeofence, customGroups?: readonly CustomRegionGroup[] | null): Set<string> {
  return countriesOf([...geofence.allowedRegions, ...geofence.allowedCountries], customGroups);
}

/** Field errors of a geofence's codes: unknown region groups and countries, a residency that is no region. */
export function geofenceProblems(geofence: TokenGeofence, customGroups?: readonly CustomRegionGroup[] | null): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const unknownRegions = unknownRegionCodes(geofence.allowedRegions, customGroups);
  if (unknownRegions.length > 0) problems.push({ field: 'allowedRegions', message: `names no region group: ${unknownRegions.join(', ')}` });
  const unknownCountries = unknownCountryCodes(geofence.allowedCountries);
  if (unknownCountries.length > 0) problems.push({ field: 'allowedCountries', message: `not ISO 3166-1 alpha-2 country codes: ${unknownCountries.join(', ')}` });
  if (geofence.residencyRegion !== null && !isRegionCode(geofence.residencyRegion, customGroups)) {
    problems.push({ field: 'residencyRegion', message: `names no region group: ${geofence.residencyRegion}` });
  }
  return problems;
}
