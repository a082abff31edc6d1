import { sameFingerprint, TokenHasher } from './token-hasher';

describe('TokenHasher', () => {
  const pepper = { id: 'p2', secret: 'x'.repeat(40) };
  const old = { id: 'p1', secret: 'y'.repeat(40) };

  it('matches only the exact token, and never stores it in the clear', () => {
    const hasher = new TokenHasher(pepper);
    const { hash, pepperId } = hasher.hash('cus_test_abc');
    expect(hash).not.toContain('abc');
    expect(hasher.matches('cus_test_abc', hash, pepperId)).toBe(true);
    expect(hasher.matches('cus_test_abd', hash, pepperId)).toBe(false);
  });

  it('still verifies tokens hashed under a previous pepper after rotation', () => {
    const before = new TokenHasher(old).hash('cus_live_t');
    const after = TokenHasher.fromConfig({ currentId: 'p2', currentSecret: pepper.secret, previous: [`p1:${old.secret}`] });
    expect(after.matches('cus_live_t', before.hash, 'p1')).toBe(true);
    expect(after.hash('cus_live_t').pepperId).toBe('p2');
    expect(new TokenHasher(pepper).matches('cus_live_t', before.hash, 'p1')).toBe(false);
  });

  it('gives a different hash under a different pepper', () => {
    expect(new TokenHasher(pepper).hash('t').hash).not.toBe(new TokenHasher(old).hash('t').hash);
  });
});

describe('sameFingerprint', () => {
  it('is true only for the same string', () => {
    expect(sameFingerprint('abcd', 'abcd')).toBe(true);
    expect(sameFingerprint('abcd', 'abce')).toBe(false);
    expect(sameFingerprint('xbcd', 'abcd')).toBe(false);
    expect(sameFingerprint('abcd', 'abc')).toBe(false);
    expect(sameFingerprint('', '')).toBe(true);
  });
});
