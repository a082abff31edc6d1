import { SecretMatcher, type StoredSecret } from './secret-matcher';
import { TokenHasher } from './token-hasher';

describe('SecretMatcher', () => {
  const hasher = new TokenHasher({ id: 'p1', secret: 'a pepper for the secret matcher' });
  const stored = (raw: string): StoredSecret => ({ secretHash: hasher.hash(raw).hash, pepperId: 'p1' });

  /** Counts the HMACs, which a remembered secret must not need. */
  function counting(): { matcher: SecretMatcher; hmacs: () => number } {
    let count = 0;
    const matcher = new SecretMatcher({
      fingerprint: (raw) => hasher.fingerprint(raw),
      matches: (raw, storedHex, pepperId) => {
        count++;
        return hasher.matches(raw, storedHex, pepperId);
      },
    });
    return { matcher, hmacs: () => count };
  }

  it('matches the stored secret again without the HMAC, and refuses any other secret', () => {
    const secret = stored('cus_test_right');
    const { matcher, hmacs } = counting();
    expect(matcher.matches('cus_test_right', secret)).toBe(true);
    expect(matcher.matches('cus_test_right', secret)).toBe(true);
    expect(matcher.matches('cus_test_right', secret)).toBe(true);
    expect(hmacs()).toBe(1);
    expect(matcher.matches('cus_test_wrong', secret)).toBe(false);
    expect(matcher.matches('cus_test_righT', secret)).toBe(false);
    expect(matcher.matches('', secret)).toBe(false);
  });

  it('checks a wrong secret with the HMAC whether or not the right one was seen', () => {
    const secret = stored('cus_test_right');
    const { matcher, hmacs } = counting();
    expect(matcher.matches('cus_test_wrong', secret)).toBe(false);
    expect(hmacs()).toBe(1);
    expect(matcher.matches('cus_test_right', secret)).toBe(true);
    expect(matcher.matches('cus_test_wrong', secret)).toBe(false);
    expect(hmacs()).toBe(3);
  });

  it('does not carry a match over to a secret stored again, nor to another one', () => {
    const { matcher, hmacs } = counting();
    expect(matcher.matches('cus_test_right', stored('cus_test_right'))).toBe(true);
    // After a rotation the verify cache holds another snapshot of the lookup id, with another stored hash.
    const reread = stored('cus_test_successor');
    expect(matcher.matches('cus_test_right', reread)).toBe(false);
    expect(matcher.matches('cus_test_successor', reread)).toBe(true);
    expect(hmacs()).toBe(3);
  });

  it('remembers a digest, never the secret itself', () => {
    const raw = 'cus_test_Y9TXfdKn3SBotiUYqUgzpCXCYUtShaxp';
    expect(hasher.fingerprint(raw)).not.toContain('Y9TXfdKn3SBotiUYqUgzpCXCYUtShaxp');
    expect(hasher.fingerprint(raw)).toHaveLength(43);
    expect(hasher.fingerprint(raw)).toBe(hasher.fingerprint(raw));
    expect(hasher.fingerprint(raw)).not.toBe(hasher.fingerprint(`${raw}x`));
  });
});
