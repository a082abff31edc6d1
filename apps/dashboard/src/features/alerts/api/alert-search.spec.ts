import { describe, expect, it } from '@jest/globals';
import { alertFiltersFromSearch, alertListParams, alertsPath, emptyTitle, withAlertSearch } from './alert-search';

describe('alert filters in the URL', () => {
  it('open the inbox on open alerts, and drop values the API would refuse', () => {
    expect(alertFiltersFromSearch(new URLSearchParams())).toEqual({ status: 'open', severity: null, rule: null });
    expect(alertFiltersFromSearch(new URLSearchParams('status=closed&severity=urgent&rule=nope'))).toEqual({ status: 'open', severity: null, rule: null });
    expect(alertFiltersFromSearch(new URLSearchParams('status=resolved&severity=critical&rule=leaked'))).toEqual({
      status: 'resolved',
      severity: 'critical',
      rule: 'leaked',
    });
  });

  it('ask the API for a page of what they name; "all" sends no status', () => {
    expect(alertListParams({ status: 'open', severity: null, rule: null })).toEqual({ limit: 25, status: 'open' });
    expect(alertListParams({ status: 'all', severity: 'high', rule: 'many_networks' })).toEqual({ limit: 25, severity: 'high', rule: 'many_networks' });
  });

  it('keep the default status out of the URL and the other filters as they are', () => {
    const search = new URLSearchParams('status=resolved&severity=low');
    expect(withAlertSearch(search, { status: 'open' }).toString()).toBe('severity=low');
    expect(withAlertSearch(search, { status: 'all', rule: 'brute_force' }).toString()).toBe('status=all&severity=low&rule=brute_force');
    expect(withAlertSearch(search, { severity: null }).toString()).toBe('status=resolved');
    expect(alertsPath({ severity: 'critical' })).toBe('/alerts?severity=critical');
    expect(alertsPath({ status: 'open' })).toBe('/alerts');
  });

  it('name the filters in force when nothing matches', () => {
    expect(emptyTitle({ status: 'open', severity: null, rule: null })).toBe('No open alerts');
    expect(emptyTitle({ status: 'all', severity: 'high', rule: 'many_networks' })).toBe('No high alerts of the rule Many networks');
  });
});
