import { describe, expect, it } from '@jest/globals';
import { selectionFromSearch, withComplianceSearch } from './compliance-search';

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

describe('withComplianceSearch', () => {
  it('sets and clears URL keys, leaving the others', () => {
    const next = withComplianceSearch(new URLSearchParams('framework=gdpr&control=token-owner'), { control: null, from: '2026-01-01' });
    expect(next.toString()).toBe('framework=gdpr&from=2026-01-01');
  });
});
