import type { VerifyCode } from '@custos/contracts';
import { formatCountry, formatShortDate, formatShortDateTime } from '../../../shared/format/format';
import type { Period } from '../../../shared/period/day-period';
import type { Region, UsageBucket, UsageCounts, UsageGroupBy } from './usage.queries';

/**
 * What the usage charts draw, worked out from the API's buckets: pure, so the specs can hold it to
 * the numbers without a browser to lay out the SVG.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Periods up to two days are counted by hour (at most 48 bars), longer ones by day. */
const HOURLY_UP_TO_MS = 2 * DAY_MS;

export function timeGroupingOf(period: Period): Extract<UsageGroupBy, 'hour' | 'day'> {
  return Date.parse(period.to) - Date.parse(period.from) <= HOURLY_UP_TO_MS ? 'hour' : 'day';
}

/**
 * Every hour or UTC day of the counted period, keyed as the API keys its buckets (`2026-11-23T14:00:00Z`,
 * `2026-11-23`): the API sends only those with uses, and a chart must show the quiet ones as zero.
 */
export function timeKeys(from: string, to: string, groupBy: 'hour' | 'day'): string[] {
  const step = groupBy === 'hour' ? HOUR_MS : DAY_MS;
  const end = Date.parse(to);
  const keys: string[] = [];
  for (let t = Math.floor(Date.parse(from) / step) * step; t < end; t += step) {
    const iso = new Date(t).toISOString();
    keys.push(groupBy === 'hour' ? `${iso.slice(0, 13)}:00:00Z` : iso.slice(0, 10));
  }
  return keys;
}

/** The outcomes that occur, VALID first, then the most frequent: the order of the stacks and the legend. */
export function outcomesOf(buckets: readonly UsageBucket[]): string[] {
  const totals = new Map<string, number>();
  for (const bucket of buckets) for (const [outcome, n] of Object.entries(bucket.byOutcome)) totals.set(outcome, (totals.get(outcome) ?? 0) + n);
  return [...totals.keys()].sort((a, b) => Number(b === 'VALID') - Number(a === 'VALID') || totals.get(b)! - totals.get(a)! || a.localeCompare(b));
}

/**
 * Outcomes keep their colour on every chart and table: green for VALID, warm colours for refusals of a
 * known token. Typed by VerifyCode, so a new verify answer cannot reach a chart without a colour of its own.
 */
const VERIFY_COLORS: Readonly<Record<VerifyCode, string>> = {
  VALID: 'teal.6',
  GEO_BLOCKED: 'grape.6',
  RATE_LIMITED: 'yellow.6',
  IP_BLOCKED: 'violet.6',
  INSUFFICIENT_SCOPE: 'orange.6',
  REVOKED: 'red.7',
  SUSPENDED: 'pink.6',
  EXPIRED: 'gray.6',
  NOT_YET_VALID: 'blue.4',
  USAGE_EXCEEDED: 'lime.7',
  NOT_FOUND: 'dark.3',
  MALFORMED: 'dark.5',
  CONSENT_REQUIRED: 'cyan.9',
  CONSENT_WITHDRAWN: 'cyan.5',
  CONSENT_EXPIRED: 'cyan.7',
  CONSENT_NOT_YET_VALID: 'cyan.3',
};
const OTHER_COLORS = ['indigo.6', 'cyan.6', 'orange.4', 'blue.7', 'red.4'];

const isVerifyCode = (outcome: string): outcome is VerifyCode => Object.hasOwn(VERIFY_COLORS, outcome);

/**
 * An outcome's colour. A request of a service key has its HTTP status as outcome: a 429 (over the API's
 * rate limit) shares RATE_LIMITED's colour, other statuses take their class's.
 */
export function outcomeColor(outcome: string, index = 0): string {
  if (isVerifyCode(outcome)) return VERIFY_COLORS[outcome];
  if (outcome === '429') return VERIFY_COLORS.RATE_LIMITED;
  if (/^2\d\d$/.test(outcome)) return 'teal.3';
  if (/^4\d\d$/.test(outcome)) return 'orange.3';
  if (/^5\d\d$/.test(outcome)) return 'red.4';
  return OTHER_COLORS[index % OTHER_COLORS.length]!;
}

/** The chart's series: one stack per outcome. */
export function outcomeSeries(outcomes: readonly string[]): Array<{ name: string; color: string }> {
  return outcomes.map((name, i) => ({ name, color: outcomeColor(name, i) }));
}

export type ChartRow = Record<string, string | number> & { key: string; label: string };

/** One row per hour or day of the counted period (zeros where the API had no bucket), a count per outcome. */
export function timeRows(counts: UsageCounts, outcomes: readonly string[]): ChartRow[] {
  if (counts.groupBy !== 'hour' && counts.groupBy !== 'day') throw new Error(`not counted over time: ${counts.groupBy}`);
  const byKey = new Map(counts.buckets.map((b) => [b.key, b]));
  const label = counts.groupBy === 'hour' ? formatShortDateTime : formatShortDate;
  return timeKeys(counts.from, counts.to, counts.groupBy).map((key) => {
    const row: ChartRow = { key, label: label(key) };
    for (const outcome of outcomes) row[outcome] = byKey.get(key)?.byOutcome[outcome] ?? 0;
    return row;
  });
}

/** The region a use from the country is counted in: its first group in the API's order (its own bloc before EEA and ADEQUACY). */
export function regionOf(country: string | null, regions: readonly Region[] | undefined): string | null {
  if (!country) return null;
  return regions?.find((r) => r.countries.includes(country))?.code ?? null;
}

/** Countries as the API ranked them (most used first), each labelled with its name and region. */
export function countryRows(buckets: readonly UsageBucket[], outcomes: readonly string[], regions: readonly Region[] | undefined): ChartRow[] {
  return buckets.map((bucket) => {
    const region = regionOf(bucket.key, regions);
    const row: ChartRow = { key: bucket.key ?? 'unknown', label: region ? `${formatCountry(bucket.key)} · ${region}` : formatCountry(bucket.key) };
    for (const outcome of outcomes) row[outcome] = bucket.byOutcome[outcome] ?? 0;
    return row;
  });
}
