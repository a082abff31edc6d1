import { ErrorCode } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';
import { assertCanGrant, assertNarrowing, normalizeScopes, scopeFieldErrors } from './scopes';

function codeOf(fn: () => void): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : undefined;
  }
}

describe('scopes', () => {
  it('accepts well-formed scopes and names the bad ones by index', () => {
    expect(scopeFieldErrors(['billing:read', 'a', 'x.y_z-1:2'])).toEqual([]);
    expect(scopeFieldErrors(['ok', 'Bad', '', 'custos:everything'])).toEqual([
      { field: 'scopes[1]', message: expect.stringContaining('must match') },
      { field: 'scopes[2]', message: expect.stringContaining('must match') },
      { field: 'scopes[3]', message: 'unknown Custos scope "custos:everything"' },
    ]);
  });

  it('normalises by removing duplicates and sorting', () => {
    expect(normalizeScopes(['b', 'a', 'b'])).toEqual(['a', 'b']);
  });

  it('refuses to grant a custos scope the caller does not hold', () => {
    const grant = (requested: string[], callerScopes: string[]) => () =>
      assertCanGrant({ requested, callerScopes, serviceAllowedScopes: null });
    expect(codeOf(grant(['custos:users:write'], ['custos:tokens:issue']))).toBe(ErrorCode.SCOPE_ESCALATION);
    expect(codeOf(grant(['custos:tokens:verify', 'orders:read'], ['custos:tokens:verify']))).toBeUndefined();
  });

  it("keeps a service's tokens within its allowed scopes", () => {
    const grant = (requested: string[]) => () =>
      assertCanGrant({ requested, callerScopes: [], serviceAllowedScopes: ['orders:read'] });
    expect(codeOf(grant(['orders:read']))).toBeUndefined();
    expect(codeOf(grant(['orders:read', 'orders:write']))).toBe(ErrorCode.SCOPE_ESCALATION);
  });

  it('only narrows on patch', () => {
    expect(codeOf(() => assertNarrowing(['a', 'b'], ['a']))).toBeUndefined();
    expect(codeOf(() => assertNarrowing(['a'], ['a', 'b']))).toBe(ErrorCode.SCOPE_ESCALATION);
  });
});
