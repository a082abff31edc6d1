/**
 * Periods of whole local days, as the date pickers of Compliance and Usage hold them: a first and a last
 * day (YYYY-MM-DD, both included), sent to the API as instants from the first day's midnight to the
 * midnight after the last.
 */

/** A period as the API takes it: ISO instants, `from` inclusive, `to` exclusive. */
export interface Period {
  from: string;
  to: string;
}

/** What the pickers hold: `fromDay` to `toDay` inclusive (YYYY-MM-DD). */
export interface DaySelection {
  fromDay: string;
  toDay: string;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a YYYY-MM-DD day, or null when it is no such day. */
function startOfDay(day: string): Date | null {
  const match = DAY_PATTERN.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = new Date(year, month - 1, date);
  // new Date rolls 2026-02-31 over into March; a day that rolled over was not a day.
  return start.getFullYear() === year && start.getMonth() === month - 1 && start.getDate() === date ? start : null;
}

/** The local calendar day of an instant, as YYYY-MM-DD. */
export function dayOf(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/**
 * The days the URL's `from` and `to` name, each falling back, when missing or no day, to the last
 * `defaultDays` days, today included.
 */
export function daysFromSearch(search: URLSearchParams, now: Date, defaultDays: number): DaySelection {
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  return {
    fromDay: startOfDay(from) ? from : dayOf(addDays(now, 1 - defaultDays)),
    toDay: startOfDay(to) ? to : dayOf(now),
  };
}

/** The selection's days as instants: from the first day's midnight to the midnight after the last; null when the days run backwards. */
export function periodOf(selection: DaySelection): Period | null {
  const from = startOfDay(selection.fromDay);
  const last = startOfDay(selection.toDay);
  if (!from || !last || last < from) return null;
  return { from: from.toISOString(), to: addDays(last, 1).toISOString() };
}

/** The last instant inside a period ending at `to` (exclusive), for showing the period's last day. */
export function lastDayOf(to: string): string {
  return new Date(Date.parse(to) - 1).toISOString();
}

/** Sets or clears (null, empty) the given URL keys, leaving the others. */
export function withSearch<K extends string>(search: URLSearchParams, update: Partial<Record<K, string | null>>): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries<string | null | undefined>(update)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}
