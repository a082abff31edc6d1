import { geofenceProblems, loosensGeofence, NO_GEOFENCE, type TokenGeofence } from './token-geofence';

const euOnly = (mode: TokenGeofence['mode']): TokenGeofence => ({ mode, residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: [] });

describe('loosensGeofence', () => {
  it('sees a weaker mode, a wider fence, a lifted fence and a moved residency as loosening', () => {
    expect(loosensGeofence(euOnly('enforce'), euOnly('monitor'))).toBe(true);
    expect(loosensGeofence(euOnly('enforce'), { ...euOnly('enforce'), allowedCountries: ['US'] })).toBe(true);
    expect(loosensGeofence(euOnly('enforce'), { ...euOnly('enforce'), allowedRegions: [] })).toBe(true);
    expect(loosensGeofence(euOnly('enforce'), { ...euOnly('enforce'), residencyRegion: 'US' })).toBe(true);
  });

  it('sees a stronger mode, a narrower fence and a first fence as tightening', () => {
    expect(loosensGeofence(euOnly('monitor'), euOnly('enforce'))).toBe(false);
    expect(loosensGeofence(euOnly('enforce'), { ...euOnly('enforce'), allowedRegions: [], allowedCountries: ['DE', 'FR'] })).toBe(false);
    expect(loosensGeofence(NO_GEOFENCE, euOnly('enforce'))).toBe(false);
  });
});

describe('geofenceProblems', () => {
  it('names unknown region groups and countries by field', () => {
    expect(geofenceProblems({ mode: 'enforce', residencyRegion: 'MARS', allowedRegions: ['EU', 'NOPE'], allowedCountries: ['DE', 'XX'] })).toEqual([
      { field: 'allowedRegions', message: 'names no region group: NOPE' },
      { field: 'allowedCountries', message: 'not ISO 3166-1 alpha-2 country codes: XX' },
      { field: 'residencyRegion', message: 'names no region group: MARS' },
    ]);
  });
});
