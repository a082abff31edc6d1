import type { Schemas } from '@custos/api-client';
import { formatCount, formatDuration } from '../../../shared/format/format';

/** At most `limit` uses per fixed window of `windowSeconds`: a token's (verifies), or a service key's on the API. */
export type RateLimit = Schemas['RateLimitDto'];

/** The API's bounds (RateLimitDto): 1 to 1,000,000 uses per window of 1 s to a day. */
export const RATE_LIMIT_MAX = 1_000_000;
export const RATE_WINDOW_MAX_SECONDS = 86_400;

/** A rate limit as a form holds it: the number of uses (empty for none) and the window, a select's value in seconds. */
export interface RateLimitValues {
  rateLimit: number | string;
  rateLimitWindow: string;
}

export const RATE_LIMIT_FIELDS = ['rateLimit', 'rateLimitWindow'] as const;

/** The API's names of the form's fields, for its field errors (`rateLimit` itself is the 403 of raising a limit). */
export const RATE_LIMIT_SERVER_FIELDS: Record<string, keyof RateLimitValues> = {
  rateLimit: 'rateLimit',
  'rateLimit.limit': 'rateLimit',
  'rateLimit.windowSeconds': 'rateLimitWindow',
};

export const NO_RATE_LIMIT: RateLimitValues = { rateLimit: '', rateLimitWindow: '60' };

const WINDOWS: ReadonlyArray<[number, string]> = [
  [1, 'second'],
  [60, 'minute'],
  [3_600, 'hour'],
  [86_400, 'day'],
];

/** "per minute", "per 2 minutes". */
function perWindow(seconds: number): string {
  const named = WINDOWS.find(([s]) => s === seconds);
  return named ? `per ${named[1]}` : `per ${formatDuration(seconds)}`;
}

/** The windows a picker offers: a second, a minute, an hour, a day, and the current one when it is none of these (set through the API). */
export function windowOptions(current: string): Array<{ value: string; label: string }> {
  const options = WINDOWS.map(([seconds]) => ({ value: String(seconds), label: perWindow(seconds) }));
  const seconds = Number(current);
  if (!options.some((o) => o.value === current) && Number.isInteger(seconds) && seconds > 0) options.push({ value: current, label: perWindow(seconds) });
  return options;
}

/** "100 uses per minute"; "no limit". */
export function describeRateLimit(limit: RateLimit | null | undefined): string {
  if (!limit) return 'no limit';
  return `${formatCount(limit.limit)} ${limit.limit === 1 ? 'use' : 'uses'} ${perWindow(limit.windowSeconds)}`;
}

const filled = (v: number | string) => v !== '' && v !== null && v !== undefined;

export function rateLimitErrors(values: RateLimitValues): Partial<Record<keyof RateLimitValues, string>> {
  if (!filled(values.rateLimit)) return {};
  const limit = Number(values.rateLimit);
  const window = Number(values.rateLimitWindow);
  const errors: Partial<Record<keyof RateLimitValues, string>> = {};
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= RATE_LIMIT_MAX)) errors.rateLimit = 'A whole number from 1 to 1,000,000';
  if (!(Number.isInteger(window) && window >= 1 && window <= RATE_WINDOW_MAX_SECONDS)) errors.rateLimitWindow = 'Pick a window of a second to a day';
  return errors;
}

/** The limit the values stand for (validate first), null for none. */
export function rateLimitOf(values: RateLimitValues): RateLimit | null {
  return filled(values.rateLimit) ? { limit: Number(values.rateLimit), windowSeconds: Number(values.rateLimitWindow) } : null;
}

export function rateLimitValuesOf(limit: RateLimit | null): RateLimitValues {
  return limit ? { rateLimit: limit.limit, rateLimitWindow: String(limit.windowSeconds) } : NO_RATE_LIMIT;
}

/** On issue: a limit when one is set; none otherwise. */
export function rateLimitIssueFields(values: RateLimitValues): { rateLimit?: RateLimit } {
  const limit = rateLimitOf(values);
  return limit ? { rateLimit: limit } : {};
}

/** On PATCH: the limit when it changed, `null` when it was emptied (lifting it, which is for owners and admins). */
export function rateLimitPatchFields(current: RateLimit | null, values: RateLimitValues): { rateLimit?: RateLimit | null } {
  const next = rateLimitOf(values);
  const same = next === null ? current === null : current !== null && next.limit === current.limit && next.windowSeconds === current.windowSeconds;
  return same ? {} : { rateLimit: next };
}
