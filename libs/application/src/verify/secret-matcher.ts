import { Injectable } from '@nestjs/common';
import { sameFingerprint, TokenHasher } from '@custos/crypto';
import type { TokenSnapshot } from './token-cache';

/**
 * Whether a presented secret is the one a cached snapshot was issued with. The first match is the
 * HMAC under the pepper, against the stored hash. A match leaves the secret's SHA-256 with that snapshot
 * object (never the secret), so presenting the same secret again costs one one-shot hash and a
 * constant-time compare. Anything else, a wrong secret included, still goes through the HMAC, so a wrong
 * secret costs the same whether or not the right one was seen. A snapshot read again from the database
 * (after a change, or its TTL) starts without a fingerprint.
 */
@Injectable()
export class SecretMatcher {
  private readonly matched = new WeakMap<TokenSnapshot, string>();

  constructor(private readonly hasher: TokenHasher) {}

  matches(raw: string, snapshot: TokenSnapshot): boolean {
    // Hashed whether or not a fingerprint is known: a wrong secret then costs the hash and the HMAC either way.
    const fingerprint = this.hasher.fingerprint(raw);
    const known = this.matched.get(snapshot);
    if (known !== undefined && sameFingerprint(known, fingerprint)) return true;
    if (!this.hasher.matches(raw, snapshot.secretHash, snapshot.pepperId)) return false;
    this.matched.set(snapshot, fingerprint);
    return true;
  }
}
