import { DEFAULT_GEO_POLICY, type GeoPolicyRule, type TenantGeoPolicy } from './geo-policy';
import { complianceGeofence, healthFenceGaps, residencyGaps, transferStanding, type JudgedGeofence } from './geofence-evidence';
import { NO_GEOFENCE, type TokenGeofence } from './token-geofence';

const fence = (overrides: Partial<TokenGeofence>): TokenGeofence => ({ ...NO_GEOFENCE, ...overrides });
/** A token reaching health data, judged under a policy (none by default). */
const judged = (own: Partial<TokenGeofence>, policy: Partial<TenantGeoPolicy> = {}, dataCategories = ['health']): JudgedGeofence =>
  complianceGeofence({ dataCategories, geofence: fence(own) }, { ...DEFAULT_GEO_POLICY, ...policy });
const healthInEu = (mode: GeoPolicyRule['mode']): Partial<TenantGeoPolicy> => ({
  rules: [{ dataCategories: ['health'], mode, allowedRegions: ['EU'], allowedCountries: [] }],
});

describe('the geofence evidence rules', () => {
  it("judge a token by its own geofence and the policy rules naming its data, as verify does", () => {
    const own = fence({ mode: 'monitor', residencyRegion: 'EU' });
    const { own: kept, restrictions } = complianceGeofence({ dataCategories: ['health'], geofence: own }, { ...DEFAULT_GEO_POLICY, ...healthInEu('enforce') });
    expect(kept).toBe(own);
    expect(restrictions.fences).toEqual([{ mode: 'enforce', residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: [] }]);
    expect(judged({}, healthInEu('enforce'), ['payment']).restrictions.fences).toEqual([]);
  });

  it('place personal data with a residency region and a geo mode other than off, or a policy rule fencing it', () => {
    expect(residencyGaps(judged({}))).toEqual(['no residency region', 'geo mode off']);
    expect(residencyGaps(judged({ residencyRegion: 'EU' }))).toEqual(['geo mode off']);
    expect(residencyGaps(judged({ mode: 'monitor' }))).toEqual(['no residency region']);
    expect(residencyGaps(judged({ mode: 'monitor', residencyRegion: 'EU' }))).toEqual([]);
    expect(residencyGaps(judged({ residencyRegion: 'EU' }, healthInEu('monitor')))).toEqual([]);
  });

  it('fence health data only with an enforced geofence naming regions or countries, its own or a policy rule', () => {
    expect(healthFenceGaps(judged({ mode: 'monitor', allowedRegions: ['EU'] }))).toEqual(['geo mode monitor']);
    expect(healthFenceGaps(judged({ mode: 'enforce' }))).toEqual(['no allowed regions or countries']);
    expect(healthFenceGaps(judged({}))).toEqual(['geo mode off', 'no allowed regions or countries']);
    expect(healthFenceGaps(judged({ mode: 'enforce', allowedCountries: ['DE'] }))).toEqual([]);
    expect(healthFenceGaps(judged({ mode: 'enforce', allowedRegions: ['EEA'] }))).toEqual([]);
    expect(healthFenceGaps(judged({}, healthInEu('enforce')))).toEqual([]);
    expect(healthFenceGaps(judged({}, healthInEu('monitor')))).toEqual(['geo mode off', 'no allowed regions or countries']);
  });

  it('tell transfers let through inside every fence from those outside one, unfenced or all refused', () => {
    const euFence = { mode: 'monitor' as const, residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: ['CH'] };
    expect(transferStanding(judged(euFence), 'US', 0)).toBe('refused');
    expect(transferStanding(judged(euFence), 'US', 3)).toBe('outside');
    expect(transferStanding(judged(euFence), 'CH', 3)).toBe('inside');
    expect(transferStanding(judged({ residencyRegion: 'EU' }), 'US', 3)).toBe('unfenced');
    // A fence in off mode restricts nothing.
    expect(transferStanding(judged({ residencyRegion: 'EU', allowedRegions: ['EU'] }), 'US', 3)).toBe('unfenced');
    // A policy rule is a fence of its own: inside the token's, outside the rule's is outside.
    expect(transferStanding(judged(euFence, healthInEu('monitor')), 'CH', 3)).toBe('outside');
    // The tenant's own groups count where they name the country.
    const north = { regionGroups: [{ code: 'NORTH', countries: ['US', 'CA'] }] };
    expect(transferStanding(judged({ mode: 'monitor', allowedRegions: ['NORTH'] }, north), 'US', 1)).toBe('inside');
  });
});
