import { sameFingerprint, type TokenHasher } from './token-hasher';

/** A secret as it is stored: its HMAC under a pepper, and that pepper's id. */
export interface StoredSecret {
  readonly secretHash: string;
  readonly pepperId: string;
}

/**
 * Whether a presented secret is the one stored. The first match is the HMAC under the pepper, against
 * the stored hash. A match leaves the secret's SHA-256 with that stored object (never the secret), so
 * presenting the same secret again costs one one-shot hash and a constant-time compare. Anything else, a
 * wrong secret included, still goes through the HMAC, so a wrong secret costs the same whether or not
 * the right one was seen. For objects that live a while, as the verify cache's token snapshots do: one
 * read again from the database (after a change, or its TTL) is another object and starts without a
 * fingerprint.
 */
export class SecretMatcher {
  private readonly matched = new WeakMap<StoredSecret, string>();

  constructor(private readonly hasher: Pick<TokenHasher, 'fingerprint' | 'matches'>) {}

  matches(raw: string, stored: StoredSecret): boolean {
    // Hashed whether or not a fingerprint is known: a wrong secret then costs the hash and the HMAC either way.
    const fingerprint = this.hasher.fingerprint(raw);
    const known = this.matched.get(stored);
    if (known !== undefined && sameFingerprint(known, fingerprint)) return true;
    if (!this.hasher.matches(raw, stored.secretHash, stored.pepperId)) return false;
    this.matched.set(stored, fingerprint);
    return true;
  }
}
