import { VerifyCode, type VerifyCacheHint } from '@custos/contracts';
import { cacheHintOf, evaluateCached, verifiableFromHint, type HintableToken } from './cached-verification';
import { NO_RESTRICTIONS } from '../usage/geo-policy';

const NOW = new Date('2026-06-01T12:00:00Z');
const hint: VerifyCacheHint = {
  lookupId: 'abcdefghijkl',
  scopes: ['orders:read', 'orders:write'],
  expiresAt: '2026-07-01T00:00:00.000Z',
  graceEndsAt: null,
  notBefore: '2026-05-01T00:00:00.000Z',
  allowedCidrs: ['10.0.0.0/8'],
  consent: { validFrom: '2026-05-01T00:00:00.000Z', validUntil: '2026-06-02T00:00:00.000Z' },
};

describe('a verify decided from a cache hint', () => {
  const token = verifiableFromHint(hint);

  it('answers VALID for held scopes from an allowed address inside every window', () => {
    expect(evaluateCached(token, { scopes: ['orders:read'], ip: '10.1.2.3', now: NOW })).toBe(VerifyCode.VALID);
  });

  it('applies the server rules in their order: consent end, expiry, grace end, not-before, address, scopes', () => {
    expect(evaluateCached(token, { ip: '10.1.2.3', now: new Date('2026-06-02T00:00:00.000Z') })).toBe(VerifyCode.CONSENT_EXPIRED);
    const noConsent = verifiableFromHint({ ...hint, consent: null });
    expect(evaluateCached(noConsent, { ip: '10.1.2.3', now: new Date('2026-07-01T00:00:00.000Z') })).toBe(VerifyCode.EXPIRED);
    expect(evaluateCached(verifiableFromHint({ ...hint, graceEndsAt: '2026-06-01T11:00:00Z' }), { ip: '10.1.2.3', now: NOW })).toBe(VerifyCode.EXPIRED);
    expect(evaluateCached(token, { ip: '10.1.2.3', now: new Date('2026-04-30T00:00:00.000Z') })).toBe(VerifyCode.CONSENT_NOT_YET_VALID);
    expect(evaluateCached(noConsent, { ip: '10.1.2.3', now: new Date('2026-04-30T00:00:00.000Z') })).toBe(VerifyCode.NOT_YET_VALID);
    expect(evaluateCached(token, { ip: '192.168.0.1', now: NOW })).toBe(VerifyCode.IP_BLOCKED);
    expect(evaluateCached(token, { now: NOW })).toBe(VerifyCode.IP_BLOCKED);
    expect(evaluateCached(token, { scopes: ['orders:delete'], ip: '10.1.2.3', now: NOW })).toBe(VerifyCode.INSUFFICIENT_SCOPE);
  });
});

describe('the cache hint of a VALID answer', () => {
  const held: HintableToken = { ...verifiableFromHint(hint), lookupId: hint.lookupId, allowedCidrs: hint.allowedCidrs, geo: NO_RESTRICTIONS, rateLimit: null };

  it('round-trips: a token rebuilt from its hint answers as the server would', () => {
    expect(cacheHintOf(held)).toEqual(hint);
  });

  it('is withheld when the answer depends on state only Custos sees: uses, a rate limit, a geofence or residency', () => {
    expect(cacheHintOf({ ...held, remainingUses: 5 })).toBeNull();
    expect(cacheHintOf({ ...held, rateLimit: { limit: 10, windowSeconds: 60 } })).toBeNull();
    expect(cacheHintOf({ ...held, geo: { ...NO_RESTRICTIONS, residencyRegion: 'eu' } })).toBeNull();
    expect(
      cacheHintOf({ ...held, geo: { ...NO_RESTRICTIONS, fences: [{ mode: 'enforce', residencyRegion: null, allowedRegions: ['eu'], allowedCountries: [] }] } }),
    ).toBeNull();
  });
});
