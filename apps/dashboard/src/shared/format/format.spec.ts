import { describe, expect, it } from '@jest/globals';
import { formatCount, formatCountry, formatDate, formatDateTime, formatDuration, formatRelative, formatShortDate, formatShortDateTime } from './format';

describe('formatDuration', () => {
  it('uses the largest whole unit', () => {
    expect(formatDuration(86_400)).toBe('1 day');
    expect(formatDuration(7 * 86_400)).toBe('7 days');
    expect(formatDuration(5_400)).toBe('90 minutes');
    expect(formatDuration(61)).toBe('61 seconds');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatRelative', () => {
  it('says how far in the past or future', () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    expect(formatRelative('2026-01-13T00:00:00Z', now)).toMatch(/3 days/);
    expect(formatRelative('2026-01-09T22:00:00Z', now)).toMatch(/2 hours/);
    expect(formatRelative(null, now)).toBe('—');
  });
});

describe('formatDate and formatDateTime', () => {
  it('write every date one way, in local time: "Dec 2, 2026" and "Dec 2, 2026 14:05"', () => {
    const afternoon = new Date(2026, 11, 2, 14, 5).toISOString();
    expect(formatDate(afternoon)).toBe('Dec 2, 2026');
    expect(formatDateTime(afternoon)).toBe('Dec 2, 2026 14:05');
    expect(formatDateTime(new Date(2026, 0, 9, 7, 30).toISOString())).toBe('Jan 9, 2026 07:30');
    expect([formatDate(null), formatDateTime(undefined)]).toEqual(['—', '—']);
  });
});

describe('formatShortDate and formatShortDateTime', () => {
  it('write a chart axis’s day and hour like the dates, without the year', () => {
    expect(formatShortDate('2026-11-23')).toBe('Nov 23');
    expect(formatShortDateTime(new Date(2026, 10, 23, 14).toISOString())).toBe('Nov 23 14:00');
  });
});

describe('formatCount and formatCountry', () => {
  it('group digits and name countries, keeping the code beside the name', () => {
    expect(formatCount(12_345)).toBe((12_345).toLocaleString());
    expect(formatCountry('DE')).toBe('Germany (DE)');
    expect(formatCountry('XK')).toBe('Kosovo (XK)');
    expect(formatCountry(null)).toBe('Unknown');
    expect(formatCountry('1')).toBe('1');
  });
});
