import { describe, expect, it } from '@jest/globals';
import { REGIONS } from '../../../test/usage-fixtures';
import { paramsFromSearch, searchForUrl, usedInOptions, withFilters } from './inventory-params';

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
    expect(paramsFromSearch(new URLSearchParams('status=bogus&environment=prod&sort=name&order=up&expiringBefore=soon&q=%20&usedIn=E&crossBorder=yes'))).toEqual({
      limit: 50,
    });
  });

  it('reads where the tokens were used: a country or region, in any case, and whether across a border', () => {
    expect(paramsFromSearch(new URLSearchParams('usedIn=de&crossBorder=true'))).toEqual({ limit: 50, usedIn: 'DE', crossBorder: true });
    expect(paramsFromSearch(new URLSearchParams('usedIn=DACH&crossBorder=false'))).toEqual({ limit: 50, usedIn: 'DACH', crossBorder: false });
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

describe('usedInOptions', () => {
  const values = (groups: ReturnType<typeof usedInOptions>) => groups.map((g) => [g.group, g.items.map((i) => i.label)]);

  it('offers the region groups, and a country once its two-letter code is typed', () => {
    expect(values(usedInOptions(REGIONS, '', null))).toEqual([['Regions', ['EU — European Union', 'UK — United Kingdom', 'US — United States', 'EFTA — European Free Trade Association']]]);
    expect(values(usedInOptions(REGIONS, 'de', null))[0]).toEqual(['Country', ['DE — Germany']]);
    // Not a country, or already a region: no second choice.
    expect(usedInOptions(REGIONS, 'qq', null)).toHaveLength(1);
    expect(usedInOptions(REGIONS, 'us', null)).toHaveLength(1);
  });

  it('keeps the filter in force among the choices, a country or a region the list does not have', () => {
    expect(values(usedInOptions(REGIONS, 'DE — Germany', 'DE'))[0]).toEqual(['Country', ['DE — Germany']]);
    expect(values(usedInOptions(undefined, '', 'DACH'))).toEqual([['Regions', ['DACH']]]);
  });
});
