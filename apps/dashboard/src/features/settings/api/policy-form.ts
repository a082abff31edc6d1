import type { GeoMode } from '@custos/contracts';
import { COUNTRY_CODE, countriesError, REGION_CODE } from '../../tokens/api/geofence';
import { DATA_CATEGORY_PATTERN } from '../../tokens/api/issue-token.form';
import { rateLimitErrors, rateLimitOf, rateLimitValuesOf, type RateLimitValues } from '../../tokens/api/rate-limit';
import type { Region } from '../../usage/api/usage.queries';
import { AUTH_SERVER_ALIASES, authFormPaths, authValuesOf, toAuthPolicyRequest, validateAuthPolicy, type AuthPolicyValues } from './auth-policy-form';
import { alertFormPaths, alertValuesOf, toAlertPolicyRequest, validateAlertPolicy, type AlertPolicyValues } from './alert-rules-form';
import type { GeoPolicy, GeoRule, Policy, PolicyRequest, RegionGroup } from './policy.queries';
import { reviewFormPaths, reviewValuesOf, toReviewPolicyRequest, validateReviewPolicy, type ReviewPolicyValues } from './review-policy-form';

/**
 * The Settings form's rules. Its values mirror PUT /v1/policy's body where they can (`usageRetentionDays`,
 * `geo.rules.0.allowedRegions`), so the API's field errors land on the inputs they name; days and hours
 * stand for the API's seconds, and each list row carries a key of its own for React.
 */

const DAY = 86_400;
const HOUR = 3_600;
const MAX_RETENTION_DAYS = 3_650;

/** The documented default (docs/api.md), for a form whose limit was left blank (validation refuses that first). */
const DEFAULT_API_RATE_LIMIT = { limit: 1_200, windowSeconds: 60 };

export interface GeoRuleValues extends GeoRule {
  key: string;
}

export interface RegionGroupValues {
  key: string;
  code: string;
  /** Empty for none. */
  name: string;
  countries: string[];
}

export interface PolicyFormValues {
  maxLifetimeDays: number | string;
  rotationDays: number | string;
  graceHours: number | string;
  unusedDays: number | string;
  requireConsentFor: string[];
  usageRetentionDays: number | string;
  /** Requests per window of each service key on the API: always a limit. */
  apiRateLimit: RateLimitValues;
  geo: {
    defaultMode: GeoMode;
    defaultResidencyRegion: string | null;
    unknownLocation: GeoPolicy['unknownLocation'];
    rules: GeoRuleValues[];
    regionGroups: RegionGroupValues[];
  };
  /** The alert rules (alert-rules-form.ts). */
  alerts: AlertPolicyValues;
  /** Access reviews (review-policy-form.ts). */
  reviews: ReviewPolicyValues;
  /** Sign-in and sessions (auth-policy-form.ts). */
  auth: AuthPolicyValues;
}

let lastKey = 0;
/** A key for a new list row, unique for the page's life. */
export function rowKey(): string {
  lastKey += 1;
  return `row-${lastKey}`;
}

export const newRule = (): GeoRuleValues => ({ key: rowKey(), dataCategories: [], mode: 'enforce', allowedRegions: [], allowedCountries: [] });
export const newRegionGroup = (): RegionGroupValues => ({ key: rowKey(), code: '', name: '', countries: [] });

export function policyValuesOf(policy: Policy): PolicyFormValues {
  const { geo } = policy;
  return {
    maxLifetimeDays: policy.maxLifetimeSeconds / DAY,
    rotationDays: policy.defaultRotationIntervalSeconds === null ? '' : policy.defaultRotationIntervalSeconds / DAY,
    graceHours: policy.defaultGracePeriodSeconds / HOUR,
    unusedDays: policy.disableUnusedAfterDays,
    requireConsentFor: [...policy.requireConsentFor],
    usageRetentionDays: policy.usageRetentionDays,
    apiRateLimit: rateLimitValuesOf(policy.apiRateLimit),
    geo: {
      defaultMode: geo.defaultMode,
      defaultResidencyRegion: geo.defaultResidencyRegion,
      unknownLocation: geo.unknownLocation,
      rules: geo.rules.map((rule) => ({ key: rowKey(), ...rule, dataCategories: [...rule.dataCategories], allowedRegions: [...rule.allowedRegions], allowedCountries: [...rule.allowedCountries] })),
      regionGroups: geo.regionGroups.map((group) => ({ key: rowKey(), code: group.code, name: group.name ?? '', countries: [...group.countries] })),
    },
    alerts: alertValuesOf(policy.alerts),
    reviews: reviewValuesOf(policy.reviews),
    auth: authValuesOf(policy.auth),
  };
}

const isWhole = (v: number | string, min: number, max = Infinity) => v !== '' && Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;

/** Per-field messages keyed by the form's paths (`geo.rules.0.dataCategories`; a row's own as `geo.rules.0`). */
export function validatePolicy(values: PolicyFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!(Number(values.maxLifetimeDays) > 0)) errors.maxLifetimeDays = 'A positive number of days';
  if (!(values.graceHours !== '' && Number(values.graceHours) >= 0)) errors.graceHours = 'Zero or more hours';
  if (!isWhole(values.unusedDays, 1)) errors.unusedDays = 'A whole number of days, at least 1';
  const badConsentCategory = values.requireConsentFor.find((c) => !DATA_CATEGORY_PATTERN.test(c));
  if (badConsentCategory !== undefined) errors.requireConsentFor = categoryMessage(badConsentCategory);
  if (!isWhole(values.usageRetentionDays, 1, MAX_RETENTION_DAYS)) errors.usageRetentionDays = 'A whole number of days from 1 to 3,650';

  if (values.apiRateLimit.rateLimit === '') errors['apiRateLimit.rateLimit'] = 'Every service key has a limit: give one';
  for (const [field, message] of Object.entries(rateLimitErrors(values.apiRateLimit))) errors[`apiRateLimit.${field}`] = message;

  values.geo.rules.forEach((rule, i) => {
    const at = `geo.rules.${i}`;
    const badCategory = rule.dataCategories.find((c) => !DATA_CATEGORY_PATTERN.test(c));
    if (rule.dataCategories.length === 0) errors[`${at}.dataCategories`] = 'Name the data categories the rule is for';
    else if (badCategory !== undefined) errors[`${at}.dataCategories`] = categoryMessage(badCategory);
    const countries = countriesError(rule.allowedCountries);
    if (countries) errors[`${at}.allowedCountries`] = countries;
    if (rule.allowedRegions.length === 0 && rule.allowedCountries.length === 0) errors[at] = 'Allow at least one region or country';
  });

  const codes = values.geo.regionGroups.map((g) => g.code);
  values.geo.regionGroups.forEach((group, i) => {
    const at = `geo.regionGroups.${i}`;
    if (!REGION_CODE.test(group.code)) errors[`${at}.code`] = '2 to 32 upper-case letters, digits, _ or -, starting with a letter';
    else if (COUNTRY_CODE.test(group.code) && !BUILT_IN_TWO_LETTER.has(group.code)) errors[`${at}.code`] = `${group.code} is a country's code: a group needs a name of its own`;
    else if (codes.indexOf(group.code) !== i) errors[`${at}.code`] = `Another group has the code ${group.code}`;
    if (group.countries.length === 0) errors[`${at}.countries`] = 'Name at least one country';
    else {
      const countries = countriesError(group.countries);
      if (countries) errors[`${at}.countries`] = countries;
    }
  });
  return { ...errors, ...validateAlertPolicy(values.alerts), ...validateReviewPolicy(values.reviews), ...validateAuthPolicy(values.auth) };
}

/** Built-in regions whose codes are also countries' (a tenant's group may replace them): the API allows these. */
const BUILT_IN_TWO_LETTER = new Set(['US', 'CA']);

const categoryMessage = (category: string) => `"${category}" is not a category: lower-case words such as health or payment_card`;

/** PUT /v1/policy's body (validate first): every field, so the whole form is what the tenant's policy becomes. */
export function toPolicyRequest(values: PolicyFormValues): PolicyRequest {
  return {
    maxLifetimeSeconds: Math.round(Number(values.maxLifetimeDays) * DAY),
    defaultRotationIntervalSeconds: values.rotationDays === '' ? null : Math.round(Number(values.rotationDays) * DAY),
    defaultGracePeriodSeconds: Math.round(Number(values.graceHours) * HOUR),
    disableUnusedAfterDays: Number(values.unusedDays),
    requireConsentFor: values.requireConsentFor,
    usageRetentionDays: Number(values.usageRetentionDays),
    apiRateLimit: rateLimitOf(values.apiRateLimit) ?? DEFAULT_API_RATE_LIMIT,
    geo: {
      defaultMode: values.geo.defaultMode,
      defaultResidencyRegion: values.geo.defaultResidencyRegion,
      unknownLocation: values.geo.unknownLocation,
      rules: values.geo.rules.map(({ key: _key, ...rule }) => rule),
      regionGroups: values.geo.regionGroups.map(({ code, name, countries }): RegionGroup => ({ code, ...(name.trim() ? { name: name.trim() } : {}), countries })),
    },
    alerts: toAlertPolicyRequest(values.alerts),
    reviews: toReviewPolicyRequest(values.reviews),
    auth: toAuthPolicyRequest(values.auth),
  };
}

/** The API's names of the fields the form calls otherwise (seconds against days and hours, the limit's parts). */
export const POLICY_SERVER_ALIASES: Readonly<Record<string, string>> = {
  maxLifetimeSeconds: 'maxLifetimeDays',
  defaultRotationIntervalSeconds: 'rotationDays',
  defaultGracePeriodSeconds: 'graceHours',
  disableUnusedAfterDays: 'unusedDays',
  apiRateLimit: 'apiRateLimit.rateLimit',
  'apiRateLimit.limit': 'apiRateLimit.rateLimit',
  'apiRateLimit.windowSeconds': 'apiRateLimit.rateLimitWindow',
  ...AUTH_SERVER_ALIASES,
};

/** Every path of the form an API error may land on, for the values as they are (one set per rule and group row). */
export function policyFormPaths(values: PolicyFormValues): string[] {
  return [
    'requireConsentFor',
    'usageRetentionDays',
    'geo.defaultMode',
    'geo.defaultResidencyRegion',
    'geo.unknownLocation',
    'geo.rules',
    'geo.regionGroups',
    ...values.geo.rules.flatMap((_, i) => ['', '.dataCategories', '.mode', '.allowedRegions', '.allowedCountries'].map((field) => `geo.rules.${i}${field}`)),
    ...values.geo.regionGroups.flatMap((_, i) => ['', '.code', '.name', '.countries'].map((field) => `geo.regionGroups.${i}${field}`)),
    ...alertFormPaths(),
    ...reviewFormPaths(),
    ...authFormPaths(),
  ];
}

/**
 * The regions the geography fields offer: the built-in groups from GET /v1/regions and the groups of the
 * form as it stands (a new one can be used before it is saved; one of a built-in code replaces that group).
 */
export function policyRegionOptions(regions: readonly Region[] | undefined, groups: readonly RegionGroupValues[]): Array<{ value: string; label: string }> {
  // Each code once (a code typed twice is the form's error to show, not a second option).
  const own = [...new Map(groups.filter((g) => REGION_CODE.test(g.code)).map((g) => [g.code, g])).values()];
  const builtIn = (regions ?? []).filter((r) => r.builtIn && !own.some((g) => g.code === r.code));
  return [...builtIn.map((r) => ({ value: r.code, label: `${r.code} — ${r.name}` })), ...own.map((g) => ({ value: g.code, label: `${g.code} — ${g.name.trim() || 'your group'}` }))];
}
