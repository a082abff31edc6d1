import type { GeoMode } from '@custos/contracts';
import type { Region } from '../../usage/api/usage.queries';
import type { Token } from './tokens.queries';

/**
 * A token's residency and geofence as the issue and edit forms hold them, mirroring the API's rules
 * (IssueTokenDto, PatchTokenDto): the API stays the judge of region codes and of loosening.
 */
export interface GeofenceValues<Mode extends string = GeoMode> {
  geoMode: Mode;
  /** A region code, or null for none. */
  residencyRegion: string | null;
  allowedRegions: string[];
  /** ISO 3166-1 alpha-2 codes, upper case. */
  allowedCountries: string[];
}

export const GEOFENCE_FIELDS = ['geoMode', 'residencyRegion', 'allowedRegions', 'allowedCountries'] as const;

export const NO_GEOFENCE: GeofenceValues = { geoMode: 'off', residencyRegion: null, allowedRegions: [], allowedCountries: [] };

/** The issue form's geo mode that sends none, so the token gets the policy's `geo.defaultMode`. */
export const POLICY_DEFAULT = 'policy';
export type GeoModeChoice = GeoMode | typeof POLICY_DEFAULT;

/** What a new token starts with: the policy's defaults for mode and residency, no fence of its own. */
export const POLICY_GEOFENCE: GeofenceValues<GeoModeChoice> = { ...NO_GEOFENCE, geoMode: POLICY_DEFAULT };

/** The policy's defaults a token issued without its own gets (from GET /v1/policy's `geo`). */
export interface GeoDefaults {
  defaultMode: GeoMode;
  defaultResidencyRegion: string | null;
}

/** Each mode with what it does to a use from outside the allowed regions and countries. */
export const GEO_MODE_OPTIONS: ReadonlyArray<{ value: GeoMode; label: string; description: string }> = [
  { value: 'off', label: 'Off', description: 'Not checked: each use is recorded with its country, nothing more.' },
  { value: 'monitor', label: 'Monitor', description: 'Uses from elsewhere still work, and are flagged on their usage events.' },
  { value: 'enforce', label: 'Enforce', description: 'Uses from elsewhere are refused with GEO_BLOCKED, on every api instance at once.' },
];

export function geoModeLabel(mode: GeoMode): string {
  return GEO_MODE_OPTIONS.find((o) => o.value === mode)?.label ?? mode;
}

/** An ISO 3166-1 alpha-2 code as the API takes it (upper case). */
export const COUNTRY_CODE = /^[A-Z]{2}$/;
/** A region group's code as the API takes it: 2 to 32 of A–Z, 0–9, `_`, `-`, starting with a letter (EU, DACH). */
export const REGION_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;

/** Country codes as typed: trimmed, upper case, each once. */
export function normalizeCountries(codes: readonly string[]): string[] {
  return [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
}

/** The first entry of a country list that is no two-letter code, or a list too long, as a field message. */
export function countriesError(codes: readonly string[]): string | undefined {
  const bad = codes.find((c) => !COUNTRY_CODE.test(c));
  if (bad !== undefined) return `"${bad}" is not a two-letter country code such as CH`;
  return codes.length > 250 ? 'At most 250 countries' : undefined;
}

export function geofenceErrors(values: GeofenceValues<GeoModeChoice>): Partial<Record<keyof GeofenceValues, string>> {
  const errors: Partial<Record<keyof GeofenceValues, string>> = {};
  const countries = countriesError(values.allowedCountries);
  if (countries) errors.allowedCountries = countries;
  if (values.allowedRegions.length > 50) errors.allowedRegions = 'At most 50 regions';
  return errors;
}

/**
 * Whether a mode chosen to check has nothing to check against: such a geofence lets every country through.
 * The policy's default mode is the tenant's choice, made in Settings, and not pointed out here.
 */
export function isOpenFence(values: GeofenceValues<GeoModeChoice>): boolean {
  return values.geoMode !== 'off' && values.geoMode !== POLICY_DEFAULT && values.allowedRegions.length === 0 && values.allowedCountries.length === 0;
}

export function geofenceOf(token: Token): GeofenceValues {
  return {
    geoMode: token.geoMode,
    residencyRegion: token.residencyRegion,
    allowedRegions: [...token.allowedRegions],
    allowedCountries: [...token.allowedCountries],
  };
}

/** A region for a picker: "EU — European Union". */
export function regionOptions(regions: readonly Region[] | undefined): Array<{ value: string; label: string }> {
  return (regions ?? []).map((r) => ({ value: r.code, label: `${r.code} — ${r.name}` }));
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The geofence fields of an issue request: only what was chosen, so the policy's defaults apply to the
 * rest (a mode other than "Policy default" is sent, `off` included: the policy's default may be another).
 */
export function geofenceIssueFields(values: GeofenceValues<GeoModeChoice>): Partial<GeofenceValues> {
  return {
    ...(values.geoMode !== POLICY_DEFAULT ? { geoMode: values.geoMode } : {}),
    ...(values.residencyRegion ? { residencyRegion: values.residencyRegion } : {}),
    ...(values.allowedRegions.length > 0 ? { allowedRegions: values.allowedRegions } : {}),
    ...(values.allowedCountries.length > 0 ? { allowedCountries: values.allowedCountries } : {}),
  };
}

/**
 * The geofence fields of a PATCH: only those that changed (lists compared as sets). A residency cannot
 * be cleared by PATCH, so none is sent for an emptied one.
 */
export function geofencePatchFields(token: Token, values: GeofenceValues): { geoMode?: GeoMode; residencyRegion?: string; allowedRegions?: string[]; allowedCountries?: string[] } {
  return {
    ...(values.geoMode !== token.geoMode ? { geoMode: values.geoMode } : {}),
    ...(values.residencyRegion && values.residencyRegion !== token.residencyRegion ? { residencyRegion: values.residencyRegion } : {}),
    ...(!sameSet(values.allowedRegions, token.allowedRegions) ? { allowedRegions: values.allowedRegions } : {}),
    ...(!sameSet(values.allowedCountries, token.allowedCountries) ? { allowedCountries: values.allowedCountries } : {}),
  };
}
