import dayjs from 'dayjs';
import type { ConsentStatus } from './consents.queries';

/**
 * The consent timeline's geometry, kept apart from React so it can be checked with plain numbers:
 * every position is a percentage of the visible range's width.
 */

const DAY = 86_400_000;

export const ZOOMS = [
  { value: 'week', label: '1 week', days: 7 },
  { value: 'month', label: '1 month', days: 30 },
  { value: 'quarter', label: '3 months', days: 91 },
  { value: 'year', label: '1 year', days: 365 },
  { value: '2years', label: '2 years', days: 730 },
] as const;

export type Zoom = (typeof ZOOMS)[number]['value'];
export const DEFAULT_ZOOM: Zoom = 'year';

export function isZoom(value: string | null): value is Zoom {
  return ZOOMS.some((z) => z.value === value);
}

export function zoomDays(zoom: Zoom): number {
  return ZOOMS.find((z) => z.value === zoom)!.days;
}

/** Epoch milliseconds, start inclusive, end exclusive. */
export interface TimeRange {
  start: number;
  end: number;
}

/** The range of the zoom's length with `center` in its middle. */
export function rangeAround(center: number, zoom: Zoom): TimeRange {
  const half = (zoomDays(zoom) * DAY) / 2;
  return { start: center - half, end: center + half };
}

/** Where "Earlier" and "Later" move the centre: half a range, so each step keeps half of what was shown. */
export function shiftCenter(center: number, zoom: Zoom, direction: -1 | 1): number {
  return center + (direction * zoomDays(zoom) * DAY) / 2;
}

/** Percent from the range's left edge; below 0 or above 100 when outside it. */
function positionOf(time: number, range: TimeRange): number {
  return ((time - range.start) / (range.end - range.start)) * 100;
}

export interface BarGeometry {
  /** Percent from the left of the visible part. */
  left: number;
  /** Percent width of the visible part (0 when none of it is in the range). */
  width: number;
  /** The consent began before the range: its left edge is cut off. */
  startsBefore: boolean;
  /** The consent runs past the range: its right edge is cut off. */
  endsAfter: boolean;
  /** 'before': it ended before the range; 'after': it starts after it; 'inside': some of it shows. */
  placement: 'before' | 'inside' | 'after';
}

export function barGeometry(validFrom: string, validUntil: string, range: TimeRange): BarGeometry {
  const from = Date.parse(validFrom);
  const until = Date.parse(validUntil);
  const startsBefore = from < range.start;
  const endsAfter = until > range.end;
  if (until <= range.start) return { left: 0, width: 0, startsBefore, endsAfter, placement: 'before' };
  if (from >= range.end) return { left: 100, width: 0, startsBefore, endsAfter, placement: 'after' };
  const left = positionOf(Math.max(from, range.start), range);
  const right = positionOf(Math.min(until, range.end), range);
  return { left, width: right - left, startsBefore, endsAfter, placement: 'inside' };
}

/** Percent of an instant (a withdrawal, today) inside the range; null when absent or outside. */
export function markerPosition(iso: string | number | null, range: TimeRange): number | null {
  if (iso === null) return null;
  const time = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(time) || time < range.start || time > range.end) return null;
  return positionOf(time, range);
}

/**
 * Which colour tells each status apart, on the bars and in the legend alike (Mantine colour names).
 * Withdrawn is red because a withdrawal revoked the tokens bound to the consent.
 */
export const STATUS_COLORS: Record<ConsentStatus, string> = {
  upcoming: 'blue',
  active: 'green',
  expired: 'gray',
  withdrawn: 'red',
};

export const CONSENT_STATUSES: readonly ConsentStatus[] = ['upcoming', 'active', 'expired', 'withdrawn'];

export interface Tick {
  time: number;
  left: number;
  label: string;
}

type TickUnit = 'day' | 'week' | 'month' | 'quarter';

const TICK_UNIT: Record<Zoom, TickUnit> = { week: 'day', month: 'week', quarter: 'month', year: 'month', '2years': 'quarter' };

/** Parts of the app's date format (shared/format/date-formats.ts, "Dec 2, 2026"), so the axis reads like the dates. */
const LABELS: Record<TickUnit, string> = { day: 'ddd D', week: 'MMM D', month: 'MMM', quarter: 'MMM YYYY' };
const MONTH_AND_YEAR = 'MMM YYYY';

/** Month ticks name the year only where it is needed: on the first tick and at each January. */
function tickLabel(d: Date, unit: TickUnit, first: boolean): string {
  return dayjs(d).format(unit === 'month' && (first || d.getMonth() === 0) ? MONTH_AND_YEAR : LABELS[unit]);
}

/** The first tick at or after `time`, in local time: midnights, Mondays, firsts of months or quarters. */
function firstTick(time: number, unit: TickUnit): Date {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  if (unit === 'week') d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  if (unit === 'month' || unit === 'quarter') d.setDate(1);
  if (unit === 'quarter') d.setMonth(d.getMonth() - (d.getMonth() % 3));
  while (d.getTime() < time) nextTick(d, unit);
  return d;
}

function nextTick(d: Date, unit: TickUnit): void {
  switch (unit) {
    case 'day':
      d.setDate(d.getDate() + 1);
      return;
    case 'week':
      d.setDate(d.getDate() + 7);
      return;
    case 'month':
      d.setMonth(d.getMonth() + 1);
      return;
    case 'quarter':
      d.setMonth(d.getMonth() + 3);
      return;
  }
}

/** The axis' gridlines for a zoom: days for a week, Mondays for a month, months, then quarters. */
export function ticksFor(range: TimeRange, zoom: Zoom): Tick[] {
  const unit = TICK_UNIT[zoom];
  const ticks: Tick[] = [];
  for (const d = firstTick(range.start, unit); d.getTime() <= range.end; nextTick(d, unit)) {
    ticks.push({ time: d.getTime(), left: positionOf(d.getTime(), range), label: tickLabel(d, unit, ticks.length === 0) });
  }
  return ticks;
}
