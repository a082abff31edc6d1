import { describe, expect, it } from '@jest/globals';
import { loginPathFor, safeReturnPath } from './return-to';

describe('safeReturnPath', () => {
  it('returns to a path of this app', () => {
    expect(safeReturnPath('/tokens?q=abc')).toBe('/tokens?q=abc');
  });

  it('never leaves the app or loops back to log-in', () => {
    for (const next of ['https://evil.test/', '//evil.test', '/\\evil.test', 'javascript:alert(1)', '/login?next=/x', null, '']) {
      expect(safeReturnPath(next)).toBe('/overview');
    }
  });
});

describe('loginPathFor', () => {
  it('carries the page to come back to', () => {
    expect(loginPathFor({ pathname: '/tokens/tok_1', search: '?tab=audit' })).toBe('/login?next=%2Ftokens%2Ftok_1%3Ftab%3Daudit');
    expect(loginPathFor({ pathname: '/', search: '' })).toBe('/login');
  });
});
