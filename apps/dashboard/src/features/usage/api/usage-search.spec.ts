import { describe, expect, it } from '@jest/globals';
import { usageRequestsOf, usageSelectionFromSearch, withUsageSearch } from './usage-search';

// Local dates throughout: the pickers pick days in the browser's time zone, whatever the machine's is.
const NOW = new Date(2026, 10, 23, 15, 30);
const midnight = (y: number, m: number, d: number) => new Date(y, m - 1, d).toISOString();

describe('usageSelectionFromSearch', () => {
  it('opens on every token over the last 30 days, today included', () => {
    expect(usageSelectionFromSearch(new URLSearchParams(), NOW)).toEqual({ tokenId: null, serviceId: null, fromDay: '2026-10-25', toDay: '2026-11-23' });
  });

  it('takes the token, service and days from the URL', () => {
    const search = new URLSearchParams('token=tok_1&service=svc_1&from=2026-11-01&to=2026-11-02');
    expect(usageSelectionFromSearch(search, NOW)).toEqual({ tokenId: 'tok_1', serviceId: 'svc_1', fromDay: '2026-11-01', toDay: '2026-11-02' });
  });
});

describe('usageRequestsOf', () => {
  it('counts 30 days by day, per country, and lists the events and cross-border transfers of the same period and token', () => {
    const requests = usageRequestsOf(usageSelectionFromSearch(new URLSearchParams('token=tok_1'), NOW));
    const period = { from: midnight(2026, 10, 25), to: midnight(2026, 11, 24) };
    expect(requests).toEqual({
      period,
      overTime: { tokenId: 'tok_1', ...period, groupBy: 'day' },
      byCountry: { tokenId: 'tok_1', ...period, groupBy: 'country' },
      events: { tokenId: 'tok_1', ...period },
      crossBorder: { tokenId: 'tok_1', ...period },
    });
  });

  it('counts a period of one or two days by hour', () => {
    const oneDay = usageRequestsOf(usageSelectionFromSearch(new URLSearchParams('from=2026-11-23&to=2026-11-23'), NOW));
    const twoDays = usageRequestsOf(usageSelectionFromSearch(new URLSearchParams('service=svc_1&from=2026-11-22&to=2026-11-23'), NOW));
    const threeDays = usageRequestsOf(usageSelectionFromSearch(new URLSearchParams('from=2026-11-21&to=2026-11-23'), NOW));
    expect([oneDay?.overTime.groupBy, twoDays?.overTime.groupBy, threeDays?.overTime.groupBy]).toEqual(['hour', 'hour', 'day']);
    expect(twoDays?.overTime).toMatchObject({ serviceId: 'svc_1' });
  });

  it('asks nothing while the days run backwards', () => {
    expect(usageRequestsOf(usageSelectionFromSearch(new URLSearchParams('from=2026-11-23&to=2026-11-01'), NOW))).toBeNull();
  });

  it('sets and clears URL keys', () => {
    expect(withUsageSearch(new URLSearchParams('token=tok_1&from=2026-11-01'), { token: null, service: 'svc_2' }).toString()).toBe('from=2026-11-01&service=svc_2');
  });
});
