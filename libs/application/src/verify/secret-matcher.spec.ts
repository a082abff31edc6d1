import { TokenHasher } from '@custos/crypto';
import { tokenSnapshot } from '@custos/fixtures';
import { SecretMatcher } from './secret-matcher';

describe('SecretMatcher', () => {
  const hasher = new TokenHasher({ id: 'p1', secret: 'a pepper for the secret matcher' });
  const issued = (raw: string) => tokenSnapshot('lk1', { secretHash: hasher.hash(raw).hash, pepperId: 'p1' });

  /** Counts the HMACs, which a remembered secret must not need. */
  function counting(): { matcher: SecretMatcher; hmacs: () => number } {
    let count = 0;
    const spy = Object.assign(Object.create(hasher) as TokenHasher, {
      matches: (raw: string, storedHex: string, pepperId: string) => {
        count++;
        return hasher.matches(raw, storedHex, pepperId);
      },
    });
    return { matcher: new SecretMatcher(spy), hmacs: () => count };
  }

  it('matches the issued secret again without the HMAC, and refuses any other secret', () => {
    const snapshot = issued('cus_test_right');
    const { matcher, hmacs } = counting();
    expect(matcher.matches('cus_test_right', snapshot)).toBe(true);
    expect(matcher.matches('cus_test_right', snapshot)).toBe(true);
    expect(matcher.matches('cus_test_right', snapshot)).toBe(true);
    expect(hmacs()).toBe(1);
    expect(matcher.matches('cus_test_wrong', snapshot)).toBe(false);
    expect(matcher.matches('cus_test_righT', snapshot)).toBe(false);
    expect(matcher.matches('', snapshot)).toBe(false);
  });

  it('checks a wrong secret with the HMAC whether or not the right one was seen', () => {
    const snapshot = issued('cus_test_right');
    const { matcher, hmacs } = counting();
    expect(matcher.matches('cus_test_wrong', snapshot)).toBe(false);
    expect(hmacs()).toBe(1);
    expect(matcher.matches('cus_test_right', snapshot)).toBe(true);
    expect(matcher.matches('cus_test_wrong', snapshot)).toBe(false);
    expect(hmacs()).toBe(3);
  });

  it('does not carry a match over to a snapshot read again, nor to another token', () => {
    const { matcher, hmacs } = counting();
    expect(matcher.matches('cus_test_right', issued('cus_test_right'))).toBe(true);
    // After a rotation the cache holds a new snapshot of the lookup id, with another stored hash.
    const reread = issued('cus_test_successor');
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
