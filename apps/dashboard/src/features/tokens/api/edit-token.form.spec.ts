import { describe, expect, it } from '@jest/globals';
import { tokenFixture } from '../../../test/token-fixtures';
import { editValuesOf, isEditable, removedScopes, toPatchRequest, validateEditToken } from './edit-token.form';

const token = tokenFixture('1', {
  name: 'orders',
  scopes: ['orders:read', 'orders:write', 'refunds:write'],
  allowedCidrs: ['10.0.0.0/8'],
  metadata: { team: 'orders' },
});

describe('toPatchRequest', () => {
  it('sends nothing when nothing changed', () => {
    expect(toPatchRequest(token, editValuesOf(token))).toEqual({});
  });

  it('sends only what changed: the new name and the scopes kept, in the token’s order', () => {
    const values = { ...editValuesOf(token), name: '  orders v2 ', scopes: ['refunds:write', 'orders:read'] };
    expect(toPatchRequest(token, values)).toEqual({ name: 'orders v2', scopes: ['orders:read', 'refunds:write'] });
    expect(removedScopes(token, values)).toEqual(['orders:write']);
  });

  it('sends a tightened allow-list, and empty metadata as {} to clear it', () => {
    const values = { ...editValuesOf(token), allowedCidrs: ['10.1.0.0/16'], metadata: '  ' };
    expect(toPatchRequest(token, values)).toEqual({ allowedCidrs: ['10.1.0.0/16'], metadata: {} });
  });

  it('sends metadata only when its content changed, not its spacing', () => {
    expect(toPatchRequest(token, { ...editValuesOf(token), metadata: '{"team":"orders"}' })).toEqual({});
    expect(toPatchRequest(token, { ...editValuesOf(token), metadata: '{"team":"billing"}' })).toEqual({ metadata: { team: 'billing' } });
  });
});

describe('toPatchRequest of the geofence', () => {
  const fenced = tokenFixture('2', { geoMode: 'monitor', residencyRegion: 'EU', allowedRegions: ['EU', 'EFTA'], allowedCountries: ['GB'] });

  it('sends the mode and lists that changed, lists compared whatever their order', () => {
    expect(toPatchRequest(fenced, { ...editValuesOf(fenced), allowedRegions: ['EFTA', 'EU'] })).toEqual({});
    expect(toPatchRequest(fenced, { ...editValuesOf(fenced), geoMode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] })).toEqual({
      geoMode: 'enforce',
      allowedRegions: ['EU'],
      allowedCountries: [],
    });
  });

  it('sends a residency given or changed, never an emptied one (PATCH cannot clear it)', () => {
    expect(toPatchRequest(token, { ...editValuesOf(token), residencyRegion: 'EU' })).toEqual({ residencyRegion: 'EU' });
    expect(toPatchRequest(fenced, { ...editValuesOf(fenced), residencyRegion: 'EEA' })).toEqual({ residencyRegion: 'EEA' });
    expect(toPatchRequest(fenced, { ...editValuesOf(fenced), residencyRegion: null })).toEqual({});
  });
});

describe('toPatchRequest of the rate limit', () => {
  const limited = tokenFixture('3', { rateLimit: { limit: 100, windowSeconds: 60 } });

  it('sends a limit set, changed or emptied (null lifts it), and nothing when it stayed', () => {
    expect(editValuesOf(limited)).toMatchObject({ rateLimit: 100, rateLimitWindow: '60' });
    expect(toPatchRequest(limited, editValuesOf(limited))).toEqual({});
    expect(toPatchRequest(token, { ...editValuesOf(token), rateLimit: 5 })).toEqual({ rateLimit: { limit: 5, windowSeconds: 60 } });
    expect(toPatchRequest(limited, { ...editValuesOf(limited), rateLimitWindow: '3600' })).toEqual({ rateLimit: { limit: 100, windowSeconds: 3600 } });
    expect(toPatchRequest(limited, { ...editValuesOf(limited), rateLimit: '' })).toEqual({ rateLimit: null });
    // Without a limit, the window alone changes nothing.
    expect(toPatchRequest(token, { ...editValuesOf(token), rateLimitWindow: '1' })).toEqual({});
  });
});

describe('validateEditToken', () => {
  it('mirrors the API: a name, IP addresses or ranges, a JSON object', () => {
    expect(validateEditToken(editValuesOf(token))).toEqual({});
    const errors = validateEditToken({ ...editValuesOf(token), name: ' ', allowedCidrs: ['10.0.0.0/33'], metadata: '[1]', allowedCountries: ['CH', 'D'] });
    expect(errors).toEqual({
      name: 'Give the token a name',
      allowedCidrs: '"10.0.0.0/33" is not an IP address or CIDR range',
      metadata: 'Must be a JSON object',
      allowedCountries: '"D" is not a two-letter country code such as CH',
    });
  });
});

describe('isEditable', () => {
  it('refuses what the API refuses: a revoked or expired token is final', () => {
    expect((['active', 'rotating', 'suspended', 'revoked', 'expired'] as const).filter(isEditable)).toEqual(['active', 'rotating', 'suspended']);
  });
});
