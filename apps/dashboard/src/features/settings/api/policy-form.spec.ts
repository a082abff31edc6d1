import { describe, expect, it } from '@jest/globals';
import { policyFixture } from '../../../test/policy-fixtures';
import { REGIONS } from '../../../test/usage-fixtures';
import { newRegionGroup, newRule, policyFormPaths, policyRegionOptions, policyValuesOf, toPolicyRequest, validatePolicy, type PolicyFormValues } from './policy-form';

const POLICY = policyFixture({
  usageRetentionDays: 30,
  apiRateLimit: { limit: 600, windowSeconds: 60 },
  geo: {
    defaultMode: 'monitor',
    defaultResidencyRegion: 'EU',
    unknownLocation: 'block',
    rules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] }],
    regionGroups: [{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] }],
  },
});

const { updatedAt: _updatedAt, ...BODY } = POLICY;

describe('policyValuesOf and toPolicyRequest', () => {
  it('give back the whole policy as PUT takes it, every field included', () => {
    expect(toPolicyRequest(policyValuesOf(POLICY))).toEqual(BODY);
  });

  it('speak days and hours where the API takes seconds, and leave a blank group name out', () => {
    const values = policyValuesOf(POLICY);
    expect(values).toMatchObject({ maxLifetimeDays: 90, rotationDays: '', graceHours: 24, apiRateLimit: { rateLimit: 600, rateLimitWindow: '60' } });
    const edited: PolicyFormValues = {
      ...values,
      rotationDays: 30,
      apiRateLimit: { rateLimit: 100, rateLimitWindow: '1' },
      geo: { ...values.geo, regionGroups: [{ ...newRegionGroup(), code: 'NORDICS', name: '  ', countries: ['SE', 'NO'] }] },
    };
    expect(toPolicyRequest(edited)).toMatchObject({
      defaultRotationIntervalSeconds: 30 * 86_400,
      apiRateLimit: { limit: 100, windowSeconds: 1 },
      geo: { regionGroups: [{ code: 'NORDICS', countries: ['SE', 'NO'] }] },
    });
  });
});

describe('validatePolicy', () => {
  it('accepts the policy as it is', () => {
    expect(validatePolicy(policyValuesOf(POLICY))).toEqual({});
  });

  it('mirrors the API, each message on the path the API would name', () => {
    const values = policyValuesOf(POLICY);
    const errors = validatePolicy({
      ...values,
      usageRetentionDays: 4000,
      apiRateLimit: { rateLimit: '', rateLimitWindow: '60' },
      geo: {
        ...values.geo,
        rules: [{ ...newRule(), dataCategories: ['Health Data'] }, { ...newRule(), dataCategories: ['payroll'], allowedCountries: ['DEU'] }],
        regionGroups: [
          { ...newRegionGroup(), code: 'DE', countries: ['DE'] },
          { ...newRegionGroup(), code: 'DACH', countries: [] },
          { ...newRegionGroup(), code: 'DACH', countries: ['AT'] },
          { ...newRegionGroup(), code: 'US', countries: ['US', 'PR'] },
        ],
      },
    });
    expect(errors).toEqual({
      usageRetentionDays: 'A whole number of days from 1 to 3,650',
      'apiRateLimit.rateLimit': 'Every service key has a limit: give one',
      'geo.rules.0.dataCategories': '"Health Data" is not a category: lower-case words such as health or payment_card',
      'geo.rules.0': 'Allow at least one region or country',
      'geo.rules.1.allowedCountries': '"DEU" is not a two-letter country code such as CH',
      'geo.regionGroups.0.code': "DE is a country's code: a group needs a name of its own",
      'geo.regionGroups.1.countries': 'Name at least one country',
      'geo.regionGroups.2.code': 'Another group has the code DACH',
    });
  });
});

describe('policyFormPaths', () => {
  it('names every field of every row, and the rows themselves', () => {
    const paths = policyFormPaths(policyValuesOf(POLICY));
    expect(paths).toEqual(expect.arrayContaining(['usageRetentionDays', 'geo.rules.0', 'geo.rules.0.allowedRegions', 'geo.regionGroups.0', 'geo.regionGroups.0.countries']));
    expect(paths).not.toContain('geo.rules.1');
  });
});

describe('policyRegionOptions', () => {
  it('offers the built-in groups and the form’s own, a new one before it is saved and one of a built-in code in its place', () => {
    const groups = [
      { ...newRegionGroup(), code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] },
      { ...newRegionGroup(), code: 'UK', name: '', countries: ['GB', 'GG', 'JE', 'IM'] },
      { ...newRegionGroup(), code: 'x', name: 'not yet a code', countries: [] },
    ];
    const own = [...REGIONS, { code: 'DACH', name: 'Old name', countries: ['DE'], builtIn: false }];
    expect(policyRegionOptions(own, groups).map((o) => o.label)).toEqual([
      'EU — European Union',
      'US — United States',
      'EFTA — European Free Trade Association',
      'DACH — Germany, Austria, Switzerland',
      'UK — your group',
    ]);
  });
});
