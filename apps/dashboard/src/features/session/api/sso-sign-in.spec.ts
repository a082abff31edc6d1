import { describe, expect, it } from '@jest/globals';
import { SSO_ERRORS } from '@custos/contracts';
import { normalizeSlug, ssoErrorMessage, ssoStartUrl } from './sso-sign-in';

describe('SSO sign-in on the log-in page', () => {
  it('has words for every error code the API sends, and a fallback for others', () => {
    for (const code of SSO_ERRORS) expect(ssoErrorMessage(code)).toEqual(expect.stringMatching(/\w/));
    expect(ssoErrorMessage('email_taken')).toMatch(/another organization/);
    expect(ssoErrorMessage('<script>')).toBe('The sign-in with SSO did not work. Try again.');
    expect(ssoErrorMessage(null)).toBeNull();
  });

  it('starts at the organization typed, however it was typed', () => {
    expect(normalizeSlug('  Acme-Corp ')).toBe('acme-corp');
    expect(ssoStartUrl('Acme Corp/x')).toBe('/v1/auth/sso/acme%20corp%2Fx/start');
  });
});
