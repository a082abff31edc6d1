import dayjs from 'dayjs';
import { DATE_FORMAT, DATE_TIME_FORMAT, SHORT_DATE_FORMAT, SHORT_DATE_TIME_FORMAT } from './date-formats';

/** A day or an hour on a chart's axis, in local time: "Dec 2", "Dec 2 14:00". A bare YYYY-MM-DD is that day. */
export function formatShortDate(iso: string): string {
  return dayjs(iso).format(SHORT_DATE_FORMAT);
}

export function formatShortDateTime(iso: string): string {
  return dayjs(iso).format(SHORT_DATE_TIME_FORMAT);
}

/** A count with the reader's digit grouping: 12,345. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country's English name from its ISO 3166-1 alpha-2 code ("Germany"); the code itself when it names none. */
export function countryName(code: string): string {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    // Not even the shape of a code (DisplayNames throws on "1"): show what was given.
    return code;
  }
}

/** A country as tables show it: "Germany (DE)"; a use without one (a private or unknown address) reads "Unknown". */
export function formatCountry(code: string | null | undefined): string {
  if (!code) return 'Unknown';
  const name = countryName(code);
  return name === code ? code : `${name} (${code})`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format(DATE_TIME_FORMAT) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format(DATE_FORMAT) : '—';
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 days", "2 hours ago"; "—" for none. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const diff = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relative.format(Math.round(diff / ms), unit);
  }
  return relative.format(Math.round(diff / 1000), 'second');
}

/** Seconds as the largest whole unit: 86400 -> "1 day", 5400 -> "90 minutes". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const units: Array<[string, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
