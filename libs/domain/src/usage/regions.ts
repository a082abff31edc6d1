/**
 * Region groups: named sets of countries (ISO 3166-1 alpha-2, upper case) that residency, geofencing and
 * cross-border rules are written in. The built-in groups and their sources are in docs/architecture.md
 * (Regions); a tenant may define groups of its own, which add to these or replace one of the same code.
 */

const codes = (list: string): readonly string[] => Object.freeze(list.trim().split(/\s+/));

/**
 * Every officially assigned ISO 3166-1 alpha-2 code (249), and XK: not assigned by ISO but the code
 * the European Commission and IP geolocation databases use for Kosovo.
 */
const COUNTRY_CODES = new Set(
  codes(`
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW
    BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
    FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN
    IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
    PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE
    YT ZA ZM ZW XK
  `),
);

/** The 27 member states of the European Union (Greece is GR in ISO 3166, not EL as in EU usage). */
const EU = codes('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE');

/** The European Free Trade Association. */
const EFTA = codes('CH IS LI NO');

/**
 * Asia-Pacific, defined here as the UN M49 sub-regions Eastern Asia, South-eastern Asia, Southern Asia
 * and Oceania (Australia and New Zealand, Melanesia, Micronesia, Polynesia), with ISO's separate codes
 * for Taiwan, Hong Kong and Macao, and without Iran (M49 puts it in Southern Asia; trade and privacy
 * usage puts it in the Middle East). A tenant that means something else defines its own APAC group.
 */
const APAC = codes(`
  CN HK MO TW JP KR KP MN
  BN KH ID LA MY MM PH SG TH TL VN
  AF BD BT IN MV NP PK LK
  AU NZ CX CC HM NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF
`);

/**
 * Countries with an EU adequacy decision under Article 45 GDPR (data may flow to them from the EEA
 * without further safeguards), as listed by the European Commission, "Adequacy decisions",
 * https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en
 * (checked 2026-12): Andorra, Argentina, Brazil (Implementing Decision (EU) 2026/179 of 26 January
 * 2026), Canada (commercial organisations under PIPEDA only), Faroe Islands, Guernsey, Israel, Isle of
 * Man, Japan, Jersey, New Zealand, Republic of Korea, Switzerland, United Kingdom, United States
 * (only organisations certified under the EU-US Data Privacy Framework) and Uruguay. The European
 * Patent Organisation's decision (2025) concerns an organisation, not a country. Where a decision covers
 * only some recipients (Canada, United States), the group cannot tell them apart: membership says a
 * transfer can rest on adequacy, not that this one does.
 */
const ADEQUACY = codes('AD AR BR CA FO GG IL IM JP JE NZ KR CH GB US UY');

/**
 * Built-in groups, in the order regionsOf lists them: a country's own bloc first (EU, UK, US, CA, EFTA,
 * APAC), then the wider ones it belongs to (EEA, ADEQUACY).
 */
export const BUILT_IN_REGIONS = Object.freeze({
  EU,
  UK: codes('GB'),
  US: codes('US'),
  CA: codes('CA'),
  EFTA,
  APAC,
  EEA: Object.freeze([...EU, 'IS', 'LI', 'NO']),
  ADEQUACY,
});

export type BuiltInRegion = keyof typeof BUILT_IN_REGIONS;

/** What each built-in group is called where people pick one (the dashboard's forms, GET /v1/regions). */
export const BUILT_IN_REGION_NAMES: Readonly<Record<BuiltInRegion, string>> = Object.freeze({
  EU: 'European Union',
  UK: 'United Kingdom',
  US: 'United States',
  CA: 'Canada',
  EFTA: 'European Free Trade Association',
  APAC: 'Asia-Pacific',
  EEA: 'European Economic Area',
  ADEQUACY: 'EU adequacy decisions',
});

/** A tenant's own region group; one with a built-in group's code replaces that group for the tenant. */
export interface CustomRegionGroup {
  code: string;
  /** What people call it, for lists and forms. */
  name?: string | undefined;
  countries: string[];
}

/** What a geofence allows: the countries of its regions and the countries named. Both empty: anywhere. */
export interface GeoRestriction {
  allowedRegions?: readonly string[] | null | undefined;
  allowedCountries?: readonly string[] | null | undefined;
}

const REGION_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;

/** An ISO 3166-1 alpha-2 code (upper case) of a country or territory. */
export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code);
}

/**
 * The problem with a tenant's group, or null: codes are 2–32 of A–Z, 0–9, `_`, `-` starting with a
 * letter and must not be a country's code (a region that meant a country in one rule and a group in
 * another would be a trap) unless it is also a built-in region's (US, CA); a group has at least one
 * country, each a known code, none twice.
 */
function customGroupProblem(group: CustomRegionGroup): string | null {
  if (!REGION_CODE.test(group.code)) return 'code must be 2 to 32 upper-case letters, digits, "_" or "-", starting with a letter';
  if (isCountryCode(group.code) && !(group.code in BUILT_IN_REGIONS)) return `code ${group.code} is a country's code`;
  if (group.countries.length === 0) return 'must name at least one country';
  const unknown = group.countries.filter((c) => !isCountryCode(c));
  if (unknown.length > 0) return `unknown country codes: ${unknown.join(', ')}`;
  if (new Set(group.countries).size !== group.countries.length) return 'names a country twice';
  return null;
}

/** Each problem of a tenant's list of groups, by position (for field errors); a code used twice is one. */
export function customGroupProblems(groups: readonly CustomRegionGroup[]): { index: number; problem: string }[] {
  const seen = new Set<string>();
  const problems: { index: number; problem: string }[] = [];
  groups.forEach((group, index) => {
    const problem = customGroupProblem(group) ?? (seen.has(group.code) ? `code ${group.code} is used by another group` : null);
    seen.add(group.code);
    if (problem) problems.push({ index, problem });
  });
  return problems;
}

/**
 * The built-in groups with a tenant's own on top, compiled once: the functions below take a tenant's
 * groups and keep one table per groups array, so calling them on every verify costs set lookups.
 */
export class RegionTable {
  private readonly groups = new Map<string, ReadonlySet<string>>();

  constructor(customGroups: readonly CustomRegionGroup[] = []) {
    for (const [code, countries] of Object.entries(BUILT_IN_REGIONS)) this.groups.set(code, new Set(countries));
    for (const group of customGroups) this.groups.set(group.code, new Set(group.countries));
  }

  isRegion(code: string): boolean {
    return this.groups.has(code);
  }

  /** The codes of every group the country belongs to, built-in order first, then the tenant's. */
  regionsOf(country: string): string[] {
    const regions: string[] = [];
    for (const [code, countries] of this.groups) if (countries.has(country)) regions.push(code);
    return regions;
  }

  /**
   * The countries a list of region and country codes stands for. A code is a region when one of that
   * code exists, else a country; a code that is neither stands for nothing, so a restriction naming a
   * group since deleted narrows rather than widens.
   */
  countriesOf(codes: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const code of codes) {
      const group = this.groups.get(code);
      if (group) for (const country of group) out.add(country);
      else if (isCountryCode(code)) out.add(code);
    }
    return out;
  }

  /** Whether one code (region or country) covers the country. */
  covers(code: string, country: string): boolean {
    const group = this.groups.get(code);
    return group ? group.has(country) : code === country;
  }

  /**
   * Whether a use from `country` lies inside the restriction. Decide unknown locations (no country) before
   * asking: the tenant's policy says whether they pass.
   */
  isAllowed(country: string, restriction: GeoRestriction): boolean {
    const regions = restriction.allowedRegions ?? [];
    const countries = restriction.allowedCountries ?? [];
    if (regions.length === 0 && countries.length === 0) return true;
    return countries.includes(country) || regions.some((code) => this.covers(code, country));
  }

  /**
   * Whether a use from `country` is a transfer out of the residency region (a region or country code).
   * Unknown location or no residency: not known to cross, so false. A residency code that no longer
   * names anything holds no country, so every known one crosses.
   */
  isCrossBorder(country: string | null | undefined, residencyRegion: string | null | undefined): boolean {
    if (!country || !residencyRegion) return false;
    return !this.covers(residencyRegion, country);
  }
}

const BUILT_IN_TABLE = new RegionTable();
const TABLES = new WeakMap<readonly CustomRegionGroup[], RegionTable>();

/** The table for a tenant's groups (kept per groups array), or the built-in one. */
export function regionTable(customGroups?: readonly CustomRegionGroup[] | null): RegionTable {
  if (!customGroups || customGroups.length === 0) return BUILT_IN_TABLE;
  let table = TABLES.get(customGroups);
  if (!table) TABLES.set(customGroups, (table = new RegionTable(customGroups)));
  return table;
}

export function regionsOf(country: string, customGroups?: readonly CustomRegionGroup[] | null): string[] {
  return regionTable(customGroups).regionsOf(country);
}

export function countriesOf(regionOrCountryCodes: readonly string[], customGroups?: readonly CustomRegionGroup[] | null): Set<string> {
  return regionTable(customGroups).countriesOf(regionOrCountryCodes);
}

export function isAllowed(country: string, restriction: GeoRestriction, customGroups?: readonly CustomRegionGroup[] | null): boolean {
  return regionTable(customGroups).isAllowed(country, restriction);
}

export function isCrossBorder(
  country: string | null | undefined,
  residencyRegion: string | null | undefined,
  customGroups?: readonly CustomRegionGroup[] | null,
): boolean {
  return regionTable(customGroups).isCrossBorder(country, residencyRegion);
}

/** Whether a code names a region group: a built-in one or one of the tenant's. */
export function isRegionCode(code: string, customGroups?: readonly CustomRegionGroup[] | null): boolean {
  return regionTable(customGroups).isRegion(code);
}

/** The codes of a list that name no region group (for a field error), in the order given. */
export function unknownRegionCodes(regionCodes: readonly string[], customGroups?: readonly CustomRegionGroup[] | null): string[] {
  const table = regionTable(customGroups);
  return regionCodes.filter((code) => !table.isRegion(code));
}

/** The codes of a list that are not ISO 3166-1 alpha-2 country codes (for a field error). */
export function unknownCountryCodes(countryCodes: readonly string[]): string[] {
  return countryCodes.filter((code) => !isCountryCode(code));
}
