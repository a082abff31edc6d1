import { MAX_SCOPES_PER_TOKEN, scopeFindings } from './scope-breadth';

describe('scopeFindings', () => {
  it('accepts specific resource:action scopes', () => {
    expect(scopeFindings(['orders:read', 'orders:write', 'custos:tokens:read'])).toEqual([]);
  });

  it('flags scopes that name no particular permission as wildcards', () => {
    expect(scopeFindings(['admin', 'billing:all', 'orders:admin', 'orders:read'])).toEqual([
      { kind: 'wildcard', scope: 'admin' },
      { kind: 'wildcard', scope: 'billing:all' },
      { kind: 'wildcard', scope: 'orders:admin' },
    ]);
  });

  it('flags a bare resource and a token holding too many scopes as over-broad', () => {
    const many = Array.from({ length: MAX_SCOPES_PER_TOKEN + 1 }, (_, i) => `r${i}:read`);
    expect(scopeFindings(['orders'])).toEqual([{ kind: 'bare_resource', scope: 'orders' }]);
    expect(scopeFindings(many)).toEqual([{ kind: 'too_many', count: MAX_SCOPES_PER_TOKEN + 1 }]);
  });
});
