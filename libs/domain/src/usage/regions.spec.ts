import {
  BUILT_IN_REGIONS,
  countriesOf,
  customGroupProblems,
  isAllowed,
  isCountryCode,
  isCrossBorder,
  isRegionCode,
  regionTable,
  regionsOf,
  unknownCountryCodes,
  unknownRegionCodes,
  type CustomRegionGroup,
} from './regions';

describe('built-in region groups', () => {
  it('has the 27 EU member states, the EEA as the EU and Iceland, Liechtenstein, Norway, and EFTA as its four', () => {
    expect(new Set(BUILT_IN_REGIONS.EU).size).toBe(27);
    expect([...BUILT_IN_REGIONS.EU]).toEqual(expect.arrayContaining(['DE', 'FR', 'GR', 'HR', 'IE', 'SE']));
    expect(BUILT_IN_REGIONS.EU).not.toContain('GB');
    expect(BUILT_IN_REGIONS.EU).not.toContain('CH');
    expect(new Set(BUILT_IN_REGIONS.EEA)).toEqual(new Set([...BUILT_IN_REGIONS.EU, 'IS', 'LI', 'NO']));
    expect([...BUILT_IN_REGIONS.EFTA].sort()).toEqual(['CH', 'IS', 'LI', 'NO']);
    expect(BUILT_IN_REGIONS.UK).toEqual(['GB']);
    expect(BUILT_IN_REGIONS.US).toEqual(['US']);
    expect(BUILT_IN_REGIONS.CA).toEqual(['CA']);
  });

  it('lists the countries of the EU adequacy decisions, Brazil (2026) included', () => {
    expect([...BUILT_IN_REGIONS.ADEQUACY].sort()).toEqual(
      ['AD', 'AR', 'BR', 'CA', 'CH', 'FO', 'GB', 'GG', 'IL', 'IM', 'JE', 'JP', 'KR', 'NZ', 'US', 'UY'],
    );
  });

  it('counts East, South-East and South Asia and Oceania as APAC, not Iran or Russia', () => {
    for (const country of ['CN', 'JP', 'KR', 'TW', 'HK', 'SG', 'IN', 'AU', 'NZ', 'FJ']) expect(BUILT_IN_REGIONS.APAC).toContain(country);
    for (const country of ['IR', 'RU', 'US', 'DE']) expect(BUILT_IN_REGIONS.APAC).not.toContain(country);
  });

  it('uses only known, upper-case country codes, each once per group', () => {
    for (const [code, countries] of Object.entries(BUILT_IN_REGIONS)) {
      expect({ code, unknown: unknownCountryCodes(countries) }).toEqual({ code, unknown: [] });
      expect(new Set(countries).size).toBe(countries.length);
    }
  });
});

describe('regionsOf', () => {
  it.each<[string, string[]]>([
    ['DE', ['EU', 'EEA']],
    ['NO', ['EFTA', 'EEA']],
    ['CH', ['EFTA', 'ADEQUACY']],
    ['GB', ['UK', 'ADEQUACY']],
    ['US', ['US', 'ADEQUACY']],
    ['CA', ['CA', 'ADEQUACY']],
    ['JP', ['APAC', 'ADEQUACY']],
    ['SG', ['APAC']],
    ['BR', ['ADEQUACY']],
    ['RU', []],
    ['ZZ', []],
  ])('%s belongs to %j, its own bloc first', (country, regions) => {
    expect(regionsOf(country)).toEqual(regions);
  });

  it("adds a tenant's groups after the built-in ones, and a group with a built-in code replaces it", () => {
    const groups: CustomRegionGroup[] = [
      { code: 'DACH', countries: ['DE', 'AT', 'CH'] },
      { code: 'APAC', countries: ['SG', 'AU'] },
    ];
    expect(regionsOf('DE', groups)).toEqual(['EU', 'EEA', 'DACH']);
    expect(regionsOf('CH', groups)).toEqual(['EFTA', 'ADEQUACY', 'DACH']);
    expect(regionsOf('JP', groups)).toEqual(['ADEQUACY']);
    expect(regionsOf('SG', groups)).toEqual(['APAC']);
    // another tenant, without those groups, is not affected
    expect(regionsOf('JP')).toEqual(['APAC', 'ADEQUACY']);
  });
});

describe('countriesOf', () => {
  it('expands regions and keeps country codes, once each', () => {
    expect(countriesOf(['EFTA', 'GB', 'CH'])).toEqual(new Set(['CH', 'IS', 'LI', 'NO', 'GB']));
    expect(countriesOf(['UK'])).toEqual(new Set(['GB']));
    expect(countriesOf(['EEA']).size).toBe(30);
    expect(countriesOf([])).toEqual(new Set());
  });

  it('reads a code as a region when the tenant has one of that code, and drops codes that name nothing', () => {
    const groups = [{ code: 'NORDICS', countries: ['DK', 'FI', 'IS', 'NO', 'SE'] }];
    expect(countriesOf(['NORDICS', 'EE'], groups)).toEqual(new Set(['DK', 'FI', 'IS', 'NO', 'SE', 'EE']));
    expect(countriesOf(['NORDICS', 'XX', 'de'])).toEqual(new Set());
  });
});

describe('isAllowed', () => {
  it('allows anywhere when the restriction names nothing', () => {
    expect(isAllowed('RU', {})).toBe(true);
    expect(isAllowed('RU', { allowedRegions: [], allowedCountries: [] })).toBe(true);
    expect(isAllowed('RU', { allowedRegions: null, allowedCountries: null })).toBe(true);
  });

  it('allows the countries of the regions and the countries named, and nothing else', () => {
    const euAndSwiss = { allowedRegions: ['EU'], allowedCountries: ['CH'] };
    expect(isAllowed('DE', euAndSwiss)).toBe(true);
    expect(isAllowed('CH', euAndSwiss)).toBe(true);
    expect(isAllowed('NO', euAndSwiss)).toBe(false);
    expect(isAllowed('US', euAndSwiss)).toBe(false);
    expect(isAllowed('US', { allowedCountries: ['US'] })).toBe(true);
    expect(isAllowed('GB', { allowedRegions: ['UK'] })).toBe(true);
  });

  it("follows a tenant's groups, and a region that names nothing lets nothing through", () => {
    const groups = [{ code: 'EU', countries: ['DE', 'FR'] }];
    expect(isAllowed('IT', { allowedRegions: ['EU'] }, groups)).toBe(false);
    expect(isAllowed('FR', { allowedRegions: ['EU'] }, groups)).toBe(true);
    expect(isAllowed('DE', { allowedRegions: ['DELETED_GROUP'] })).toBe(false);
  });
});

describe('isCrossBorder', () => {
  it('is a use from outside the residency region', () => {
    expect(isCrossBorder('US', 'EU')).toBe(true);
    expect(isCrossBorder('GB', 'EU')).toBe(true);
    expect(isCrossBorder('FR', 'EU')).toBe(false);
    expect(isCrossBorder('NO', 'EEA')).toBe(false);
    expect(isCrossBorder('NO', 'EU')).toBe(true);
    // a country code as the residency
    expect(isCrossBorder('DE', 'DE')).toBe(false);
    expect(isCrossBorder('AT', 'DE')).toBe(true);
  });

  it('is not known to cross without a location or a residency; a residency that names nothing holds no country', () => {
    expect(isCrossBorder(null, 'EU')).toBe(false);
    expect(isCrossBorder(undefined, 'EU')).toBe(false);
    expect(isCrossBorder('US', null)).toBe(false);
    expect(isCrossBorder('DE', 'DELETED_GROUP')).toBe(true);
  });

  it("reads the residency with the tenant's groups", () => {
    const groups = [{ code: 'DACH', countries: ['DE', 'AT', 'CH'] }];
    expect(isCrossBorder('CH', 'DACH', groups)).toBe(false);
    expect(isCrossBorder('FR', 'DACH', groups)).toBe(true);
  });
});

describe('code validation', () => {
  it('knows ISO 3166-1 alpha-2 country codes, upper case only', () => {
    expect(isCountryCode('DE')).toBe(true);
    expect(isCountryCode('XK')).toBe(true);
    for (const code of ['de', 'UK', 'EU', 'ZZ', 'D', 'DEU', '']) expect(isCountryCode(code)).toBe(false);
    expect(unknownCountryCodes(['DE', 'UK', 'fr', 'US'])).toEqual(['UK', 'fr']);
  });

  it("knows the built-in region codes and the tenant's", () => {
    for (const code of ['EU', 'EEA', 'EFTA', 'UK', 'US', 'CA', 'APAC', 'ADEQUACY']) expect(isRegionCode(code)).toBe(true);
    expect(isRegionCode('DE')).toBe(false);
    expect(isRegionCode('eu')).toBe(false);
    expect(isRegionCode('DACH')).toBe(false);
    expect(isRegionCode('DACH', [{ code: 'DACH', countries: ['DE'] }])).toBe(true);
    expect(unknownRegionCodes(['EU', 'DACH', 'GB'])).toEqual(['DACH', 'GB']);
  });

  it("finds what is wrong with a tenant's groups, by position", () => {
    expect(customGroupProblems([{ code: 'DACH', countries: ['DE', 'AT', 'CH'] }, { code: 'APAC', countries: ['SG'] }, { code: 'US', countries: ['US', 'PR'] }])).toEqual([]);
    expect(
      customGroupProblems([
        { code: 'dach', countries: ['DE'] },
        { code: 'DE', countries: ['DE'] },
        { code: 'EMPTY', countries: [] },
        { code: 'ODD', countries: ['DE', 'XX', 'gb'] },
        { code: 'TWICE', countries: ['DE', 'DE'] },
        { code: 'DACH', countries: ['DE'] },
        { code: 'DACH', countries: ['AT'] },
      ]).map((p) => [p.index, p.problem]),
    ).toEqual([
      [0, 'code must be 2 to 32 upper-case letters, digits, "_" or "-", starting with a letter'],
      [1, "code DE is a country's code"],
      [2, 'must name at least one country'],
      [3, 'unknown country codes: XX, gb'],
      [4, 'names a country twice'],
      [6, 'code DACH is used by another group'],
    ]);
  });

  it('compiles one table per groups list and reuses it', () => {
    const groups = [{ code: 'DACH', countries: ['DE'] }];
    expect(regionTable(groups)).toBe(regionTable(groups));
    expect(regionTable([])).toBe(regionTable());
  });
});
