import { FRAMEWORKS, type Framework } from '@custos/contracts';

const DEFAULT_FRAMEWORK: Framework = 'soc2';
/** The period the page opens on: the last 30 days, today included. */
const DEFAULT_PERIOD_DAYS = 30;

/** URL keys of the compliance page: framework, period (calendar days) and the control open in the drawer. */
export type ComplianceSearchKey = 'framework' | 'from' | 'to' | 'control';

/** What the pickers hold: a framework and a period of whole days, `fromDay` to `toDay` inclusive (YYYY-MM-DD). */
export interface ComplianceSelection {
  framework: Framework;
  fromDay: string;
  toDay: string;
}

/** The period as the API takes it: ISO instants, `from` inclusive, `to` exclusive. */
export interface Period {
  from: string;
  to: string;
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const isFramework = (value: string | null): value is Framework => value !== null && (FRAMEWORKS as readonly string[]).includes(value);

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
 * The pickers' values from the URL, so a view can be shared and survives the log-in detour; what is
 * missing or malformed falls back to SOC 2 over the last 30 days.
 */
export function selectionFromSearch(search: URLSearchParams, now: Date): ComplianceSelection {
  const framework = search.get('framework');
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  return {
    framework: isFramework(framework) ? framework : DEFAULT_FRAMEWORK,
    fromDay: startOfDay(from) ? from : dayOf(addDays(now, 1 - DEFAULT_PERIOD_DAYS)),
    toDay: startOfDay(to) ? to : dayOf(now),
  };
}

/** The selection's days as instants: from the first day's midnight to the midnight after the last; null when the days run backwards. */
export function periodOf(selection: Pick<ComplianceSelection, 'fromDay' | 'toDay'>): Period | null {
  const from = startOfDay(selection.fromDay);
  const last = startOfDay(selection.toDay);
  if (!from || !last || last < from) return null;
  return { from: from.toISOString(), to: addDays(last, 1).toISOString() };
}

/** The last instant inside a period ending at `to` (exclusive), for showing the period's last day. */
export function lastDayOf(to: string): string {
  return new Date(Date.parse(to) - 1).toISOString();
}

/** Sets or clears (null, empty) the given keys, leaving the others. */
export function withComplianceSearch(search: URLSearchParams, update: Partial<Record<ComplianceSearchKey, string | null>>): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}
