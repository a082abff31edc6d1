import { describe, expect, it } from '@jest/globals';
import { paramsFromSearch, searchForUrl, withFilters } from './inventory-params';

describe('paramsFromSearch', () => {
  it('reads every filter the inventory endpoint takes', () => {
    const search = new URLSearchParams(
      'status=active,revoked&q=orders&scope=orders:read&service=svc_1&environment=test&expiringBefore=2030-01-01T00:00:00.000Z&sort=expiresAt&order=asc',
    );
    expect(paramsFromSearch(search)).toEqual({
      limit: 50,
      status: ['active', 'revoked'],
      q: 'orders',
      scope: 'orders:read',
      ownerServiceId: 'svc_1',
      environment: 'test',
      expiringBefore: '2030-01-01T00:00:00.000Z',
      sort: 'expiresAt',
      order: 'asc',
    });
  });

  it('drops values the API would refuse', () => {
    expect(paramsFromSearch(new URLSearchParams('status=bogus&environment=prod&sort=name&order=up&expiringBefore=soon&q=%20'))).toEqual({
      limit: 50,
    });
  });
});

describe('withFilters', () => {
  it('sets and clears keys, leaving the others', () => {
    const search = new URLSearchParams('q=a&status=active');
    expect(withFilters(search, { q: 'b' }).toString()).toBe('q=b&status=active');
    expect(withFilters(search, { status: null, sort: 'expiresAt', order: 'asc' }).toString()).toBe('q=a&sort=expiresAt&order=asc');
  });
});

describe('searchForUrl', () => {
  const lookupId = 'AbC123dEf456';
  const token = `cus_live_${lookupId}${'x'.repeat(43)}Q1w2e3`;

  it('keeps a pasted token out of the URL: only the prefix the Token column shows', () => {
    expect(searchForUrl(` ${token} `)).toBe(`cus_live_${lookupId}…`);
    expect(searchForUrl(`cus_test_${lookupId}${'y'.repeat(49)}`)).toBe(`cus_test_${lookupId}…`);
  });

  it('passes anything else on trimmed, and clears an empty search', () => {
    expect(searchForUrl(' orders ')).toBe('orders');
    expect(searchForUrl('cus_live_AbC12…')).toBe('cus_live_AbC12…');
    expect(searchForUrl(`${token}x`)).toBe(`${token}x`);
    expect(searchForUrl('   ')).toBeNull();
  });
});
