import { complianceGeofence, healthFenceGaps, residencyGaps, transferStanding } from './geofence-evidence';
import { NO_GEOFENCE, type TokenGeofence } from './token-geofence';

const fence = (overrides: Partial<TokenGeofence>): TokenGeofence => ({ ...NO_GEOFENCE, ...overrides });

describe('the geofence evidence rules', () => {
  it("judges a token by its own geofence", () => {
    const own = fence({ mode: 'monitor', residencyRegion: 'EU' });
    expect(complianceGeofence({ dataCategories: ['health'], geofence: own })).toBe(own);
  });

  it('places personal data with a residency region and a geo mode other than off', () => {
    expect(residencyGaps(NO_GEOFENCE)).toEqual(['no residency region', 'geo mode off']);
    expect(residencyGaps(fence({ residencyRegion: 'EU' }))).toEqual(['geo mode off']);
    expect(residencyGaps(fence({ mode: 'monitor' }))).toEqual(['no residency region']);
    expect(residencyGaps(fence({ mode: 'monitor', residencyRegion: 'EU' }))).toEqual([]);
  });

  it('fences health data only in enforce mode with allowed regions or countries', () => {
    expect(healthFenceGaps(fence({ mode: 'monitor', allowedRegions: ['EU'] }))).toEqual(['geo mode monitor']);
    expect(healthFenceGaps(fence({ mode: 'enforce' }))).toEqual(['no allowed regions or countries']);
    expect(healthFenceGaps(NO_GEOFENCE)).toEqual(['geo mode off', 'no allowed regions or countries']);
    expect(healthFenceGaps(fence({ mode: 'enforce', allowedCountries: ['DE'] }))).toEqual([]);
    expect(healthFenceGaps(fence({ mode: 'enforce', allowedRegions: ['EEA'] }))).toEqual([]);
  });

  it('tells transfers let through inside the fence from those outside it, unfenced or all refused', () => {
    const euFence = fence({ mode: 'monitor', residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: ['CH'] });
    expect(transferStanding(euFence, 'US', 0)).toBe('refused');
    expect(transferStanding(euFence, 'US', 3)).toBe('outside');
    expect(transferStanding(euFence, 'CH', 3)).toBe('inside');
    expect(transferStanding(fence({ residencyRegion: 'EU' }), 'US', 3)).toBe('unfenced');
    // A tenant's own group counts where it names the country.
    expect(transferStanding(fence({ allowedRegions: ['NORTH'] }), 'US', 1, [{ code: 'NORTH', countries: ['US', 'CA'] }])).toBe('inside');
  });
});
