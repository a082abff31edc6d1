import { describe, expect, it } from '@jest/globals';
import { tokenEnd } from './token-end';

const base = { expiresAt: '2026-12-31T00:00:00.000Z', graceEndsAt: null, revokedAt: null };

describe('tokenEnd', () => {
  it('follows the status: expiry while alive, grace end while rotating, the revocation once revoked', () => {
    expect(tokenEnd({ ...base, status: 'active' })).toEqual({ label: 'Expires', at: base.expiresAt });
    expect(tokenEnd({ ...base, status: 'suspended' })).toEqual({ label: 'Expires', at: base.expiresAt });
    expect(tokenEnd({ ...base, status: 'rotating', graceEndsAt: '2026-12-03T00:00:00.000Z' })).toEqual({ label: 'Grace ends', at: '2026-12-03T00:00:00.000Z' });
    expect(tokenEnd({ ...base, status: 'revoked', revokedAt: '2026-12-01T10:00:00.000Z', graceEndsAt: '2026-12-02T10:00:00.000Z' })).toEqual({
      label: 'Revoked',
      at: '2026-12-01T10:00:00.000Z',
    });
  });

  it('dates an expired rotated token by its grace end when that came first', () => {
    expect(tokenEnd({ ...base, status: 'expired', graceEndsAt: '2026-12-02T00:00:00.000Z' })).toEqual({ label: 'Expired', at: '2026-12-02T00:00:00.000Z' });
    expect(tokenEnd({ ...base, status: 'expired' })).toEqual({ label: 'Expired', at: base.expiresAt });
  });
});
