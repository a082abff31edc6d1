import type { GeoMode } from '@custos/contracts';
import { customGroupProblems, isAllowed, isCrossBorder, unknownCountryCodes, unknownRegionCodes, type CustomRegionGroup } from './regions';
import { NO_GEOFENCE, type GeoVerdict, type TokenGeofence } from './token-geofence';

export const UNKNOWN_LOCATION_RULES = ['allow', 'block'] as const;
/** What a geofence does with a use whose country is not known (a private address, or one no database places). */
export type UnknownLocationRule = (typeof UNKNOWN_LOCATION_RULES)[number];

/** A tenant's rule for every token reaching one of its data categories, e.g. health data stays in the EU. */
export interface GeoPolicyRule {
  dataCategories: string[];
  mode: Exclude<GeoMode, 'off'>;
  allowedRegions: string[];
  allowedCountries: string[];
}

/** The geo part of a tenant's policy. */
export interface TenantGeoPolicy {
  /** What a token issued without a geoMode gets. */
  defaultMode: GeoMode;
  /** What a token issued without a residencyRegion gets. */
  defaultResidencyRegion: string | null;
  unknownLocation: UnknownLocationRule;
  rules: GeoPolicyRule[];
  regionGroups: CustomRegionGroup[];
}

export const DEFAULT_GEO_POLICY: TenantGeoPolicy = Object.freeze({
  defaultMode: 'off',
  defaultResidencyRegion: null,
  unknownLocation: 'allow',
  rules: [],
  regionGroups: [],
});

/**
 * Everything that decides a use's location verdict for one token: its own geofence and the fences of
 * the policy rules matching its data categories. Worked out when the token is loaded, not per verify.
 */
export interface GeoRestrictions {
  residencyRegion: string | null;
  /** Fences that restrict something (mode other than off, some region or country named). */
  fences: readonly TokenGeofence[];
  unknownLocation: UnknownLocationRule;
  customGroups: readonly CustomRegionGroup[] | null;
}

export const NO_RESTRICTIONS: GeoRestrictions = Object.freeze({ residencyRegion: null, fences: [], unknownLocation: 'allow', customGroups: null });

function restricts(fence: TokenGeofence): boolean {
  return fence.mode !== 'off' && (fence.allowedRegions.length > 0 || fence.allowedCountries.length > 0);
}

/**
 * The effective restriction of a token: the narrowest of its own geofence and every policy rule that
 * names one of its data categories. Each fence is applied on its own — a use must lie inside every
 * enforced one and is flagged outside any monitored one — so a rule never widens what a token allows.
 */
export function geoRestrictionsOf(own: TokenGeofence, dataCategories: readonly string[], policy: TenantGeoPolicy): GeoRestrictions {
  const fences: TokenGeofence[] = restricts(own) ? [own] : [];
  for (const rule of policy.rules) {
    if (!rule.dataCategories.some((c) => dataCategories.includes(c))) continue;
    const fence: TokenGeofence = { mode: rule.mode, residencyRegion: own.residencyRegion, allowedRegions: rule.allowedRegions, allowedCountries: rule.allowedCountries };
    if (restricts(fence)) fences.push(fence);
  }
  if (fences.length === 0 && own.residencyRegion === null) return NO_RESTRICTIONS;
  return {
    residencyRegion: own.residencyRegion,
    fences,
    unknownLocation: policy.unknownLocation,
    customGroups: policy.regionGroups.length > 0 ? policy.regionGroups : null,
  };
}

/**
 * What a use from `country` (the observed one, never the claimed one) means under the restrictions.
 * Outside an enforced fence: blocked; outside only monitored ones: flagged. An unknown location passes
 * unless the policy's `unknownLocation` is `block`, which treats it as outside every fence.
 */
export function geoVerdictOf(restrictions: GeoRestrictions, country: string | null): GeoVerdict {
  const crossBorder = isCrossBorder(country, restrictions.residencyRegion, restrictions.customGroups);
  let blocked = false;
  let flagged = false;
  for (const fence of restrictions.fences) {
    const outside = country === null ? restrictions.unknownLocation === 'block' : !isAllowed(country, fence, restrictions.customGroups);
    if (!outside) continue;
    if (fence.mode === 'enforce') blocked = true;
    else flagged = true;
  }
  return { blocked, flagged: flagged && !blocked, crossBorder };
}

/** The geofence a token is issued with: what it asks for, else the policy's defaults. */
export function issuedGeofence(
  asked: { geoMode?: GeoMode | undefined; residencyRegion?: string | null | undefined; allowedRegions?: readonly string[] | undefined; allowedCountries?: readonly string[] | undefined },
  policy: TenantGeoPolicy,
): TokenGeofence {
  return {
    mode: asked.geoMode ?? policy.defaultMode,
    residencyRegion: asked.residencyRegion === undefined ? policy.defaultResidencyRegion : asked.residencyRegion,
    allowedRegions: asked.allowedRegions ?? NO_GEOFENCE.allowedRegions,
    allowedCountries: asked.allowedCountries ?? NO_GEOFENCE.allowedCountries,
  };
}

/** Field errors of a geo policy (paths under `geo`), with its own region groups applied to its rules. */
export function geoPolicyProblems(policy: TenantGeoPolicy): Array<{ field: string; message: string }> {
  const problems = customGroupProblems(policy.regionGroups).map(({ index, problem }) => ({ field: `geo.regionGroups.${index}`, message: problem }));
  const groups = policy.regionGroups;
  if (policy.defaultResidencyRegion !== null && unknownRegionCodes([policy.defaultResidencyRegion], groups).length > 0) {
    problems.push({ field: 'geo.defaultResidencyRegion', message: `names no region group: ${policy.defaultResidencyRegion}` });
  }
  policy.rules.forEach((rule, index) => {
    const regions = unknownRegionCodes(rule.allowedRegions, groups);
    if (regions.length > 0) problems.push({ field: `geo.rules.${index}.allowedRegions`, message: `names no region group: ${regions.join(', ')}` });
    const countries = unknownCountryCodes(rule.allowedCountries);
    if (countries.length > 0) problems.push({ field: `geo.rules.${index}.allowedCountries`, message: `not ISO 3166-1 alpha-2 country codes: ${countries.join(', ')}` });
    if (rule.allowedRegions.length === 0 && rule.allowedCountries.length === 0) {
      problems.push({ field: `geo.rules.${index}`, message: 'must allow at least one region or country' });
    }
  });
  return problems;
}
