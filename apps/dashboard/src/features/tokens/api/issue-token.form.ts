import { geofenceErrors, geofenceIssueFields, POLICY_GEOFENCE, type GeofenceValues, type GeoModeChoice } from './geofence';
import { NO_RATE_LIMIT, RATE_LIMIT_SERVER_FIELDS, rateLimitErrors, rateLimitIssueFields, type RateLimitValues } from './rate-limit';
import type { IssueTokenRequest } from './tokens.queries';

/**
 * The issue form's rules, mirroring the API's (IssueTokenDto): the API stays the judge, and its field
 * errors are shown next to the same fields, but most mistakes are caught before sending.
 */
export const SCOPE_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,127}$/;
const MAX_METADATA_BYTES = 4096;
const MIN_ROTATION_SECONDS = 60;
export const MAX_GRACE_SECONDS = 30 * 86_400;
export const CONSENT_ID_PATTERN = /^cns_[A-Za-z0-9_-]+$/;
export const DATA_CATEGORY_PATTERN = /^[a-z][a-z0-9_-]{0,49}$/;

export const LIFETIME_PRESETS = [
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '1 day' },
  { value: '604800', label: '7 days' },
  { value: '2592000', label: '30 days' },
  { value: '7776000', label: '90 days' },
  { value: '31536000', label: '1 year' },
  { value: 'custom', label: 'Until a date…' },
];

/** With the residency and geofence (geofence.ts; the geo mode may be the policy's default) and the rate limit (rate-limit.ts). */
export interface IssueTokenValues extends GeofenceValues<GeoModeChoice>, RateLimitValues {
  name: string;
  scopes: string[];
  lifetime: string;
  /** With lifetime "custom": an ISO date-time string or null. */
  expiresAt: string | null;
  environment: 'live' | 'test';
  ownerServiceId: string | null;
  /** The user accountable for the token; null for the API's default, the issuer ("me"). Naming one is an owner's or admin's act. */
  stewardUserId: string | null;
  allowedCidrs: string[];
  maxUses: number | string;
  metadata: string;
  rotationDays: number | string;
  gracePeriodHours: number | string;
  /** A consent to bind the token to (`cns_…`); empty for none. */
  consentId: string;
  /** The consent's data categories this token may reach; empty for all the consent covers. */
  dataCategories: string[];
}

export const INITIAL_VALUES: IssueTokenValues = {
  name: '',
  scopes: [],
  lifetime: '2592000',
  expiresAt: null,
  environment: 'live',
  ownerServiceId: null,
  stewardUserId: null,
  allowedCidrs: [],
  maxUses: '',
  metadata: '',
  rotationDays: '',
  gracePeriodHours: '',
  consentId: '',
  dataCategories: [],
  ...POLICY_GEOFENCE,
  ...NO_RATE_LIMIT,
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+(:\d{1,3}(\.\d{1,3}){3})?$/i;

export function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (!address || extra !== undefined) return false;
  const v4 = IPV4.test(address);
  const v6 = !v4 && address.includes(':') && IPV6.test(address);
  if (!v4 && !v6) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (v4 ? 32 : 128);
}

/** The first entry that is no IP address or CIDR range, as a field message. */
export function cidrsError(cidrs: readonly string[]): string | undefined {
  const bad = cidrs.find((c) => !isCidr(c));
  return bad === undefined ? undefined : `"${bad}" is not an IP address or CIDR range`;
}

/** The metadata field's JSON: an object of at most 4 KiB, or nothing when blank. */
export function parseMetadata(text: string): { value?: Record<string, unknown>; error?: string } {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'Must be valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'Must be a JSON object' };
  if (new TextEncoder().encode(JSON.stringify(parsed)).length > MAX_METADATA_BYTES) return { error: 'Must be at most 4 KiB' };
  return { value: parsed as Record<string, unknown> };
}

/** A token's name, as the API takes it: 1 to 200 characters once trimmed. */
export function nameError(value: string): string | undefined {
  const name = value.trim();
  if (name.length === 0) return 'Give the token a name';
  if (name.length > 200) return 'At most 200 characters';
  return undefined;
}

const filled = (v: number | string) => v !== '' && v !== null && v !== undefined;

/** Per-field messages; `maxLifetimeSeconds` is the tenant policy's cap when known. */
export function validateIssueToken(values: IssueTokenValues, maxLifetimeSeconds: number | undefined, now = Date.now()): Partial<Record<keyof IssueTokenValues, string>> {
  const errors: Partial<Record<keyof IssueTokenValues, string>> = {};
  const name = nameError(values.name);
  if (name) errors.name = name;

  const badScope = values.scopes.find((s) => !SCOPE_PATTERN.test(s));
  if (badScope !== undefined) errors.scopes = `"${badScope}" is not a scope: lower case letters, digits and _ . : - only`;
  else if (values.scopes.length > 100) errors.scopes = 'At most 100 scopes';

  const lifetime = lifetimeSeconds(values, now);
  if (lifetime === null) errors.expiresAt = 'Choose when the token expires';
  else if (lifetime <= 0) errors.expiresAt = 'Must be in the future';
  else if (maxLifetimeSeconds !== undefined && lifetime > maxLifetimeSeconds) {
    errors[values.lifetime === 'custom' ? 'expiresAt' : 'lifetime'] = `Your organization's policy allows at most ${Math.floor(maxLifetimeSeconds / 86_400)} days`;
  }

  const cidrs = cidrsError(values.allowedCidrs);
  if (cidrs) errors.allowedCidrs = cidrs;

  if (filled(values.maxUses) && !(Number.isInteger(Number(values.maxUses)) && Number(values.maxUses) >= 1)) errors.maxUses = 'A whole number, at least 1';
  if (filled(values.rotationDays) && !(Number(values.rotationDays) * 86_400 >= MIN_ROTATION_SECONDS)) errors.rotationDays = 'A positive number of days';
  if (filled(values.gracePeriodHours)) {
    const grace = Number(values.gracePeriodHours) * 3600;
    if (!(grace >= 0 && grace <= MAX_GRACE_SECONDS)) errors.gracePeriodHours = 'Between 0 and 720 hours';
  }
  const metadata = parseMetadata(values.metadata);
  if (metadata.error) errors.metadata = metadata.error;

  const consentId = values.consentId.trim();
  if (consentId && !CONSENT_ID_PATTERN.test(consentId)) errors.consentId = 'A consent id starts with cns_';
  const badCategory = values.dataCategories.find((c) => !DATA_CATEGORY_PATTERN.test(c));
  if (badCategory !== undefined) errors.dataCategories = `"${badCategory}" is not a category: lower-case words such as personal or payment_card`;
  else if (values.dataCategories.length > 20) errors.dataCategories = 'At most 20 categories';
  return { ...errors, ...geofenceErrors(values), ...rateLimitErrors(values) };
}

function lifetimeSeconds(values: IssueTokenValues, now: number): number | null {
  if (values.lifetime !== 'custom') return Number(values.lifetime);
  if (!values.expiresAt) return null;
  return Math.floor((new Date(values.expiresAt).getTime() - now) / 1000);
}

/** The request body for valid values (validate first). */
export function toIssueRequest(values: IssueTokenValues): IssueTokenRequest {
  const body: IssueTokenRequest = { name: values.name.trim(), scopes: values.scopes, environment: values.environment };
  if (values.lifetime === 'custom' && values.expiresAt) body.expiresAt = new Date(values.expiresAt).toISOString();
  else body.expiresInSeconds = Number(values.lifetime);
  if (values.ownerServiceId) body.ownerServiceId = values.ownerServiceId;
  if (values.stewardUserId) body.stewardUserId = values.stewardUserId;
  if (values.allowedCidrs.length > 0) body.allowedCidrs = values.allowedCidrs;
  if (filled(values.maxUses)) body.maxUses = Number(values.maxUses);
  if (filled(values.rotationDays)) body.rotationIntervalSeconds = Math.round(Number(values.rotationDays) * 86_400);
  if (filled(values.gracePeriodHours)) body.gracePeriodSeconds = Math.round(Number(values.gracePeriodHours) * 3600);
  const metadata = parseMetadata(values.metadata).value;
  if (metadata) body.metadata = metadata;
  if (values.consentId.trim()) body.consentId = values.consentId.trim();
  if (values.dataCategories.length > 0) body.dataCategories = values.dataCategories;
  return { ...body, ...geofenceIssueFields(values), ...rateLimitIssueFields(values) };
}

/** API field names (and paths: `rateLimit.windowSeconds`) map onto these form fields for showing server errors in place. */
export const SERVER_FIELDS: Record<string, keyof IssueTokenValues> = {
  name: 'name',
  scopes: 'scopes',
  expiresAt: 'expiresAt',
  expiresInSeconds: 'lifetime',
  environment: 'environment',
  ownerServiceId: 'ownerServiceId',
  stewardUserId: 'stewardUserId',
  allowedCidrs: 'allowedCidrs',
  maxUses: 'maxUses',
  metadata: 'metadata',
  rotationIntervalSeconds: 'rotationDays',
  gracePeriodSeconds: 'gracePeriodHours',
  consentId: 'consentId',
  dataCategories: 'dataCategories',
  geoMode: 'geoMode',
  residencyRegion: 'residencyRegion',
  allowedRegions: 'allowedRegions',
  allowedCountries: 'allowedCountries',
  ...RATE_LIMIT_SERVER_FIELDS,
};
