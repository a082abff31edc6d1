import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatRelative } from './format';

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
