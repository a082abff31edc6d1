import { describe, expect, it } from '@jest/globals';
import { barGeometry, markerPosition, shiftCenter, ticksFor, rangeAround, zoomDays } from './timeline';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
/** 100 days wide, so a day is one percent. */
const RANGE = { start: START, end: START + 100 * DAY };
const day = (n: number) => new Date(START + n * DAY).toISOString();

describe('rangeAround', () => {
  it('puts the centre in the middle of a window as long as the zoom', () => {
    expect(rangeAround(START, 'week')).toEqual({ start: START - 3.5 * DAY, end: START + 3.5 * DAY });
    for (const zoom of ['week', 'month', 'quarter', 'year', '2years'] as const) {
      const range = rangeAround(START, zoom);
      expect(range.end - range.start).toBe(zoomDays(zoom) * DAY);
    }
    expect(zoomDays('2years')).toBe(730);
  });

  it('moves by half a window', () => {
    expect(shiftCenter(START, 'month', 1)).toBe(START + 15 * DAY);
    expect(shiftCenter(START, 'year', -1)).toBe(START - 182.5 * DAY);
  });
});

describe('barGeometry', () => {
  it('places a consent inside the window by its validity', () => {
    expect(barGeometry(day(25), day(75), RANGE)).toEqual({ left: 25, width: 50, startsBefore: false, endsAfter: false, placement: 'inside' });
  });

  it('cuts a consent at the window edges and says which side goes on', () => {
    expect(barGeometry(day(-30), day(10), RANGE)).toEqual({ left: 0, width: 10, startsBefore: true, endsAfter: false, placement: 'inside' });
    expect(barGeometry(day(90), day(400), RANGE)).toEqual({ left: 90, width: 10, startsBefore: false, endsAfter: true, placement: 'inside' });
    expect(barGeometry(day(-1), day(101), RANGE)).toMatchObject({ left: 0, width: 100, startsBefore: true, endsAfter: true });
  });

  it('leaves consents wholly outside the window without a bar', () => {
    expect(barGeometry(day(-50), day(-10), RANGE)).toMatchObject({ width: 0, placement: 'before' });
    expect(barGeometry(day(120), day(200), RANGE)).toMatchObject({ width: 0, placement: 'after' });
    // Ending exactly where the window starts shows nothing of it.
    expect(barGeometry(day(-50), day(0), RANGE).placement).toBe('before');
  });
});

describe('markerPosition', () => {
  it('places an instant inside the window, and nothing outside it or when there is none', () => {
    expect(markerPosition(day(40), RANGE)).toBe(40);
    expect(markerPosition(START + 12.5 * DAY, RANGE)).toBe(12.5);
    expect(markerPosition(day(-1), RANGE)).toBeNull();
    expect(markerPosition(day(101), RANGE)).toBeNull();
    expect(markerPosition(null, RANGE)).toBeNull();
  });
});

describe('ticksFor', () => {
  it('marks each local midnight for a week', () => {
    const ticks = ticksFor(rangeAround(START, 'week'), 'week');
    expect(ticks.length).toBeGreaterThanOrEqual(7);
    expect(ticks.length).toBeLessThanOrEqual(8);
    for (const tick of ticks) {
      const d = new Date(tick.time);
      expect([d.getHours(), d.getMinutes()]).toEqual([0, 0]);
      expect(tick.left).toBeGreaterThanOrEqual(0);
      expect(tick.left).toBeLessThanOrEqual(100);
    }
  });

  it('marks Mondays for a month, firsts of months for a year, quarters for two years', () => {
    expect(ticksFor(rangeAround(START, 'month'), 'month').every((t) => new Date(t.time).getDay() === 1)).toBe(true);
    const months = ticksFor(rangeAround(START, 'year'), 'year');
    expect(months.length).toBeGreaterThanOrEqual(12);
    expect(months.every((t) => new Date(t.time).getDate() === 1)).toBe(true);
    const quarters = ticksFor(rangeAround(START, '2years'), '2years');
    expect(quarters.length).toBeGreaterThanOrEqual(8);
    expect(quarters.every((t) => new Date(t.time).getMonth() % 3 === 0 && new Date(t.time).getDate() === 1)).toBe(true);
  });

  it('names the year of month ticks only on the first one and at January', () => {
    const months = ticksFor(rangeAround(START, 'year'), 'year');
    const withYear = months.filter((t) => /\d{4}/.test(t.label)).map((t) => new Date(t.time));
    expect(withYear[0]?.getTime()).toBe(months[0]?.time);
    expect(withYear.slice(1).every((d) => d.getMonth() === 0)).toBe(true);
    expect(withYear.length).toBeLessThanOrEqual(3);
  });

  it('goes left to right, each with a label', () => {
    const ticks = ticksFor(rangeAround(START, 'quarter'), 'quarter');
    expect(ticks.map((t) => t.left)).toEqual([...ticks.map((t) => t.left)].sort((a, b) => a - b));
    expect(ticks.every((t) => t.label.length > 0)).toBe(true);
  });
});
