import { countryName } from '../../../shared/format/format';
import type { Region } from '../../usage/api/usage.queries';
import { REGION_CODE } from './geofence';
import type { InventoryParams } from './tokens.queries';

export const TOKEN_STATUSES = ['active', 'rotating', 'suspended', 'revoked', 'expired'] as const;
const SORTS = ['createdAt', 'expiresAt', 'lastUsedAt'] as const;
const PAGE_SIZE = 50;

type Status = (typeof TOKEN_STATUSES)[number];
type Sort = (typeof SORTS)[number];

const isStatus = (v: string): v is Status => (TOKEN_STATUSES as readonly string[]).includes(v);
const isSort = (v: string | null): v is Sort => v !== null && (SORTS as readonly string[]).includes(v);

/**
 * The inventory's filters live in the URL, so a filtered view can be bookmarked, shared and survives
 * a reload or the log-in detour. Unknown values are dropped rather than sent to be refused.
 */
export function paramsFromSearch(search: URLSearchParams): InventoryParams {
  const params: InventoryParams = { limit: PAGE_SIZE };
  const status = (search.get('status') ?? '').split(',').filter(isStatus);
  if (status.length > 0) params.status = status;
  const q = search.get('q')?.trim();
  if (q) params.q = q;
  const scope = search.get('scope')?.trim();
  if (scope) params.scope = scope;
  const owner = search.get('service');
  if (owner) params.ownerServiceId = owner;
  const environment = search.get('environment');
  if (environment === 'live' || environment === 'test') params.environment = environment;
  const before = search.get('expiringBefore');
  if (before && !Number.isNaN(Date.parse(before))) params.expiringBefore = new Date(before).toISOString();
  const usedIn = search.get('usedIn')?.trim().toUpperCase();
  // A country (DE) or a region group (EU, or the tenant's own, e.g. DACH): both have the shape of a region code.
  if (usedIn && REGION_CODE.test(usedIn)) params.usedIn = usedIn;
  const crossBorder = search.get('crossBorder');
  if (crossBorder === 'true' || crossBorder === 'false') params.crossBorder = crossBorder === 'true';
  const sort = search.get('sort');
  if (isSort(sort)) params.sort = sort;
  const order = search.get('order');
  if (order === 'asc' || order === 'desc') params.order = order;
  return params;
}

/** A whole token: `cus_<env>_`, its 12-character lookup id, then 49 more base62 characters (docs/token-format.md). */
const PASTED_TOKEN = /^cus_(live|test)_([0-9A-Za-z]{12})[0-9A-Za-z]{49}$/;

/**
 * The search as it may go into the URL (browser history, a shared link) and to the server: a pasted
 * token becomes the prefix the Token column shows, `cus_live_<lookupId>…`, which finds the same token,
 * so its secret never leaves the search box.
 */
export function searchForUrl(value: string): string | null {
  const q = value.trim();
  if (!q) return null;
  const token = PASTED_TOKEN.exec(q);
  return token ? `cus_${token[1]}_${token[2]}…` : q;
}

/** The URL keys of the filters, for the page to set and clear one at a time. */
export type FilterKey = 'status' | 'q' | 'scope' | 'service' | 'environment' | 'expiringBefore' | 'usedIn' | 'crossBorder' | 'sort' | 'order';

export type FilterUpdate = Partial<Record<FilterKey, string | null>>;

/** Sets or clears (null, empty) the given keys, leaving the others. */
export function withFilters(search: URLSearchParams, update: FilterUpdate): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/** A two-letter code that names a country or territory (DE), as far as the browser knows. */
function isCountry(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const name = countryName(code);
  return name !== code && name !== 'Unknown Region';
}

type Option = { value: string; label: string };

/**
 * The "Used in" picker's choices: a country when one is typed as its two-letter code (`de` offers
 * "DE — Germany") or is the current filter, and the region groups (built-in and the tenant's own).
 */
export function usedInOptions(regions: readonly Region[] | undefined, typed: string, current: string | null): Array<{ group: string; items: Option[] }> {
  const regionItems = (regions ?? []).map((r) => ({ value: r.code, label: `${r.code} — ${r.name}` }));
  // A region from the URL the list does not have (yet): shown by its code rather than as an empty field.
  if (current && !isCountry(current) && !regionItems.some((r) => r.value === current)) regionItems.push({ value: current, label: current });
  const countries = [...new Set([typed.trim().toUpperCase(), current ?? ''])].filter((code) => isCountry(code) && !regionItems.some((r) => r.value === code));
  const regionGroup = { group: 'Regions', items: regionItems };
  if (countries.length === 0) return [regionGroup];
  // A code typed means its country first; regions whose names happen to contain the letters follow.
  return [{ group: 'Country', items: countries.map((code) => ({ value: code, label: `${code} — ${countryName(code)}` })) }, regionGroup];
}
