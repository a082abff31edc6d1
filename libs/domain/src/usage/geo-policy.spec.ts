import { DEFAULT_GEO_POLICY, geoPolicyProblems, geoRestrictionsOf, geoVerdictOf, issuedGeofence, type TenantGeoPolicy } from './geo-policy';
import { NO_GEOFENCE, type TokenGeofence } from './token-geofence';

const euOnly = (mode: TokenGeofence['mode']): TokenGeofence => ({ mode, residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: [] });
const verdict = (own: TokenGeofence, country: string | null, categories: string[] = [], policy: TenantGeoPolicy = DEFAULT_GEO_POLICY) =>
  geoVerdictOf(geoRestrictionsOf(own, categories, policy), country);

const healthInEu: TenantGeoPolicy = {
  ...DEFAULT_GEO_POLICY,
  rules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] }],
};

describe('geoVerdictOf a token alone', () => {
  it('refuses a use from outside an enforced geofence, and lets one from inside through', () => {
    expect(verdict(euOnly('enforce'), 'DE')).toEqual({ blocked: false, flagged: false, crossBorder: false });
    expect(verdict(euOnly('enforce'), 'US')).toEqual({ blocked: true, flagged: false, crossBorder: true });
  });

  it('flags, without refusing, a use from outside a monitored geofence', () => {
    expect(verdict(euOnly('monitor'), 'US')).toEqual({ blocked: false, flagged: true, crossBorder: true });
  });

  it('counts a use from outside the residency region as cross-border even with the geofence off', () => {
    expect(verdict({ ...NO_GEOFENCE, residencyRegion: 'EU' }, 'US')).toEqual({ blocked: false, flagged: false, crossBorder: true });
    expect(verdict(NO_GEOFENCE, 'US')).toEqual({ blocked: false, flagged: false, crossBorder: false });
  });

  it('lets an unknown location through by default, and allows countries named besides regions', () => {
    expect(verdict(euOnly('enforce'), null).blocked).toBe(false);
    expect(verdict({ ...euOnly('enforce'), allowedCountries: ['CH'] }, 'CH').blocked).toBe(false);
  });
});

describe('geoVerdictOf with the tenant policy', () => {
  it('applies a rule to every token reaching its data category, and to no other', () => {
    expect(verdict(NO_GEOFENCE, 'US', ['health'], healthInEu).blocked).toBe(true);
    expect(verdict(NO_GEOFENCE, 'FR', ['health'], healthInEu).blocked).toBe(false);
    expect(verdict(NO_GEOFENCE, 'US', ['orders'], healthInEu).blocked).toBe(false);
  });

  it('takes the narrowest: a token allowing the US stays blocked there by an EU rule, and a rule never widens the token', () => {
    const usAndEu: TokenGeofence = { mode: 'enforce', residencyRegion: null, allowedRegions: ['EU', 'US'], allowedCountries: [] };
    expect(verdict(usAndEu, 'US', ['health'], healthInEu).blocked).toBe(true);
    const franceOnly: TokenGeofence = { mode: 'enforce', residencyRegion: null, allowedRegions: [], allowedCountries: ['FR'] };
    expect(verdict(franceOnly, 'DE', ['health'], healthInEu).blocked).toBe(true);
  });

  it('blocks beats flags: an enforced rule refuses a use the token only monitors', () => {
    expect(verdict(euOnly('monitor'), 'US', ['health'], healthInEu)).toEqual({ blocked: true, flagged: false, crossBorder: true });
  });

  it('blocks an unknown location under unknownLocation: block, only where a fence applies', () => {
    const strict: TenantGeoPolicy = { ...healthInEu, unknownLocation: 'block' };
    expect(verdict(NO_GEOFENCE, null, ['health'], strict).blocked).toBe(true);
    expect(verdict(NO_GEOFENCE, null, ['orders'], strict).blocked).toBe(false);
    expect(verdict(euOnly('monitor'), null, [], strict)).toMatchObject({ blocked: false, flagged: true });
  });

  it("reads the tenant's own region groups", () => {
    const dach: TenantGeoPolicy = {
      ...DEFAULT_GEO_POLICY,
      regionGroups: [{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] }],
      rules: [{ dataCategories: ['payroll'], mode: 'enforce', allowedRegions: ['DACH'], allowedCountries: [] }],
    };
    expect(verdict(NO_GEOFENCE, 'CH', ['payroll'], dach).blocked).toBe(false);
    expect(verdict(NO_GEOFENCE, 'FR', ['payroll'], dach).blocked).toBe(true);
  });
});

describe('issuedGeofence', () => {
  it("gives a token the policy's default mode and residency unless it asks for its own", () => {
    const policy: TenantGeoPolicy = { ...DEFAULT_GEO_POLICY, defaultMode: 'monitor', defaultResidencyRegion: 'EU' };
    expect(issuedGeofence({}, policy)).toEqual({ mode: 'monitor', residencyRegion: 'EU', allowedRegions: [], allowedCountries: [] });
    expect(issuedGeofence({ geoMode: 'off', residencyRegion: null }, policy)).toMatchObject({ mode: 'off', residencyRegion: null });
  });
});

describe('geoPolicyProblems', () => {
  it('names unknown regions and countries, empty rules and bad groups by their path', () => {
    const problems = geoPolicyProblems({
      ...DEFAULT_GEO_POLICY,
      defaultResidencyRegion: 'MARS',
      regionGroups: [{ code: 'DE', countries: ['DE'] }],
      rules: [
        { dataCategories: ['health'], mode: 'enforce', allowedRegions: ['NOWHERE'], allowedCountries: ['XX'] },
        { dataCategories: ['health'], mode: 'enforce', allowedRegions: [], allowedCountries: [] },
      ],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'geo.regionGroups.0',
      'geo.defaultResidencyRegion',
      'geo.rules.0.allowedRegions',
      'geo.rules.0.allowedCountries',
      'geo.rules.1',
    ]);
  });
});
