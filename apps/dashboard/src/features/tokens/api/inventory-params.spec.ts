import { describe, expect, it } from '@jest/globals';
import { paramsFromSearch, withFilters } from './inventory-params';

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
