import { describe, expect, it } from '@jest/globals';
import { dayOf, lastDayOf, periodOf, selectionFromSearch, withComplianceSearch } from './compliance-search';

// Local dates throughout: the pickers pick days in the browser's time zone, whatever the machine's is.
const NOW = new Date(2026, 10, 23, 15, 30);

describe('selectionFromSearch', () => {
  it('opens on SOC 2 over the last 30 days, today included', () => {
    expect(selectionFromSearch(new URLSearchParams(), NOW)).toEqual({ framework: 'soc2', fromDay: '2026-10-25', toDay: '2026-11-23' });
  });

  it('takes the framework and days from the URL', () => {
    const search = new URLSearchParams('framework=gdpr&from=2026-01-01&to=2026-03-31');
    expect(selectionFromSearch(search, NOW)).toEqual({ framework: 'gdpr', fromDay: '2026-01-01', toDay: '2026-03-31' });
  });

  it('drops what is not a framework or a day', () => {
    const search = new URLSearchParams('framework=iso27001&from=2026-02-31&to=yesterday');
    expect(selectionFromSearch(search, NOW)).toEqual({ framework: 'soc2', fromDay: '2026-10-25', toDay: '2026-11-23' });
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

  it('sets and clears URL keys, leaving the others', () => {
    const next = withComplianceSearch(new URLSearchParams('framework=gdpr&control=token-owner'), { control: null, from: '2026-01-01' });
    expect(next.toString()).toBe('framework=gdpr&from=2026-01-01');
  });
});
