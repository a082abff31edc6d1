import { describe, expect, it } from '@jest/globals';
import { dayOf, daysFromSearch, lastDayOf, periodOf, withSearch } from './day-period';

// Local dates throughout: the pickers pick days in the browser's time zone, whatever the machine's is.
const NOW = new Date(2026, 10, 23, 15, 30);

describe('daysFromSearch', () => {
  it('falls back to the last N days, today included, for what is missing or no day', () => {
    expect(daysFromSearch(new URLSearchParams(), NOW, 30)).toEqual({ fromDay: '2026-10-25', toDay: '2026-11-23' });
    expect(daysFromSearch(new URLSearchParams('from=2026-02-31&to=yesterday'), NOW, 7)).toEqual({ fromDay: '2026-11-17', toDay: '2026-11-23' });
  });

  it('takes the days from the URL', () => {
    expect(daysFromSearch(new URLSearchParams('from=2026-01-01&to=2026-03-31'), NOW, 30)).toEqual({ fromDay: '2026-01-01', toDay: '2026-03-31' });
  });
});

describe('periodOf', () => {
  it('runs from the first day’s midnight to the midnight after the last day', () => {
    expect(periodOf({ fromDay: '2026-01-01', toDay: '2026-01-31' })).toEqual({
      from: new Date(2026, 0, 1).toISOString(),
      to: new Date(2026, 1, 1).toISOString(),
    });
  });

  it('is one whole day when both pickers show the same day', () => {
    expect(periodOf({ fromDay: '2026-05-05', toDay: '2026-05-05' })).toEqual({ from: new Date(2026, 4, 5).toISOString(), to: new Date(2026, 4, 6).toISOString() });
  });

  it('is none when the days run backwards', () => {
    expect(periodOf({ fromDay: '2026-05-06', toDay: '2026-05-05' })).toBeNull();
  });
});

describe('helpers', () => {
  it('names local days and the last day of an exclusive end', () => {
    expect(dayOf(NOW)).toBe('2026-11-23');
    expect(dayOf(new Date(lastDayOf(new Date(2026, 1, 1).toISOString())))).toBe('2026-01-31');
  });
});

describe('withSearch', () => {
  it('sets and clears URL keys, leaving the others', () => {
    expect(withSearch(new URLSearchParams('token=tok_1&from=2026-01-01'), { token: null, to: '2026-01-31' }).toString()).toBe('from=2026-01-01&to=2026-01-31');
  });
});
