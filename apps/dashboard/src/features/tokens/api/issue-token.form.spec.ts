import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../../shared/api/http';
import { placeFieldErrors } from '../../../shared/forms/problem-fields';
import { INITIAL_VALUES, isCidr, SERVER_FIELDS, toIssueRequest, validateIssueToken, type IssueTokenValues } from './issue-token.form';

const values = (over: Partial<IssueTokenValues>): IssueTokenValues => ({ ...INITIAL_VALUES, name: 'orders', scopes: ['orders:read'], ...over });
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('validateIssueToken', () => {
  it('accepts a plain token', () => {
    expect(validateIssueToken(values({}), 90 * 86_400, NOW)).toEqual({});
  });

  it('mirrors the API: name, scope pattern, CIDRs, metadata, numbers', () => {
    const errors = validateIssueToken(
      values({ name: ' ', scopes: ['Orders:Read'], allowedCidrs: ['10.0.0.0/33'], metadata: '[1]', maxUses: '0', gracePeriodHours: '9999' }),
      undefined,
      NOW,
    );
    expect(Object.keys(errors).sort()).toEqual(['allowedCidrs', 'gracePeriodHours', 'maxUses', 'metadata', 'name', 'scopes']);
  });

  it("refuses a lifetime beyond the tenant's policy, on the field the user chose", () => {
    expect(validateIssueToken(values({ lifetime: '31536000' }), 90 * 86_400, NOW).lifetime).toMatch(/at most 90 days/);
    const custom = validateIssueToken(values({ lifetime: 'custom', expiresAt: '2027-06-01T00:00:00Z' }), 90 * 86_400, NOW);
    expect(custom.expiresAt).toMatch(/at most 90 days/);
    expect(validateIssueToken(values({ lifetime: 'custom', expiresAt: '2025-06-01T00:00:00Z' }), undefined, NOW).expiresAt).toMatch(/future/);
  });
});

describe('consent binding', () => {
  it('checks the consent id looks like one, and sends it with the data categories', () => {
    expect(validateIssueToken(values({ consentId: 'newsletter' }), undefined, NOW).consentId).toMatch(/cns_/);
    expect(validateIssueToken(values({ consentId: 'cns_abc123', dataCategories: ['Health Data'] }), undefined, NOW).dataCategories).toMatch(/not a category/);
    expect(validateIssueToken(values({ consentId: ' cns_abc123 ', dataCategories: ['email'] }), undefined, NOW)).toEqual({});
    expect(toIssueRequest(values({ consentId: ' cns_abc123 ', dataCategories: ['email'] }))).toMatchObject({ consentId: 'cns_abc123', dataCategories: ['email'] });
    expect(toIssueRequest(values({}))).not.toHaveProperty('consentId');
    expect(toIssueRequest(values({}))).not.toHaveProperty('dataCategories');
  });
});

describe('residency and geofence', () => {
  it('sends them only when set, so a token without one gets the policy’s defaults', () => {
    expect(INITIAL_VALUES.geoMode).toBe('policy');
    expect(toIssueRequest(values({}))).not.toHaveProperty('geoMode');
    expect(toIssueRequest(values({}))).not.toHaveProperty('residencyRegion');
    // Off chosen is sent: the policy's default mode may be another.
    expect(toIssueRequest(values({ geoMode: 'off' }))).toMatchObject({ geoMode: 'off' });
    expect(toIssueRequest(values({ geoMode: 'enforce', residencyRegion: 'EU', allowedRegions: ['EU'], allowedCountries: ['CH'] }))).toMatchObject({
      geoMode: 'enforce',
      residencyRegion: 'EU',
      allowedRegions: ['EU'],
      allowedCountries: ['CH'],
    });
  });

  it('takes two-letter country codes only', () => {
    expect(validateIssueToken(values({ allowedCountries: ['CH', 'SWITZERLAND'] }), undefined, NOW).allowedCountries).toBe(
      '"SWITZERLAND" is not a two-letter country code such as CH',
    );
  });
});

describe('rate limit', () => {
  it('sends none by default, and a limit with its window when one is given', () => {
    expect(toIssueRequest(values({}))).not.toHaveProperty('rateLimit');
    expect(toIssueRequest(values({ rateLimit: 100, rateLimitWindow: '3600' }))).toMatchObject({ rateLimit: { limit: 100, windowSeconds: 3600 } });
  });

  it('takes a whole number of uses from 1 to 1,000,000', () => {
    for (const bad of [0, 1.5, 1_000_001]) expect(validateIssueToken(values({ rateLimit: bad }), undefined, NOW).rateLimit).toBe('A whole number from 1 to 1,000,000');
    expect(validateIssueToken(values({ rateLimit: 1_000_000, rateLimitWindow: '86400' }), undefined, NOW)).toEqual({});
  });

  it("shows the API's errors of the limit and of its window on their own fields", () => {
    const refusal = new ApiError({
      type: 'x',
      title: 'Invalid',
      status: 400,
      errors: [
        { field: 'rateLimit.windowSeconds', message: 'windowSeconds must not be greater than 86400' },
        { field: 'rateLimit.limit', message: 'limit must not be less than 1' },
        { field: 'scopes.0', message: 'each value must match the scope pattern' },
      ],
    });
    expect(placeFieldErrors(refusal, [], SERVER_FIELDS).errors).toEqual({
      rateLimitWindow: 'windowSeconds must not be greater than 86400',
      rateLimit: 'limit must not be less than 1',
      scopes: 'each value must match the scope pattern',
    });
  });
});

describe('isCidr', () => {
  it('knows addresses and ranges of both families', () => {
    for (const ok of ['10.0.0.0/8', '192.168.1.1', '2001:db8::/32', '::1']) expect(isCidr(ok)).toBe(true);
    for (const bad of ['10.0.0.0/33', '300.1.1.1', 'example.com', '10.0.0.0/8/1', '']) expect(isCidr(bad)).toBe(false);
  });
});

describe('toIssueRequest', () => {
  it('sends only what was filled, in the units the API takes', () => {
    expect(toIssueRequest(values({ rotationDays: '30', gracePeriodHours: '24', metadata: '{"team":"orders"}', allowedCidrs: ['10.0.0.0/8'] }))).toEqual({
      name: 'orders',
      scopes: ['orders:read'],
      environment: 'live',
      expiresInSeconds: 2_592_000,
      allowedCidrs: ['10.0.0.0/8'],
      rotationIntervalSeconds: 2_592_000,
      gracePeriodSeconds: 86_400,
      metadata: { team: 'orders' },
    });
  });
});

describe('steward', () => {
  it('sends none by default, so the issuer is accountable, and the one picked otherwise, its API error on its field', () => {
    expect(toIssueRequest(values({}))).not.toHaveProperty('stewardUserId');
    expect(toIssueRequest(values({ stewardUserId: 'usr_ana' }))).toMatchObject({ stewardUserId: 'usr_ana' });
    const refusal = new ApiError({
      type: 'x',
      title: 'Invalid request',
      status: 400,
      errors: [{ field: 'stewardUserId', message: 'is not a user of this organization' }],
    });
    expect(placeFieldErrors(refusal, [], SERVER_FIELDS).errors).toEqual({ stewardUserId: 'is not a user of this organization' });
  });
});
