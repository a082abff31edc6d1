import { createHmac, hash, timingSafeEqual } from 'node:crypto';

export interface Pepper {
  id: string;
  secret: string;
}

/**
 * HMAC-SHA256 of a presented token under a server-side pepper. The pepper's id is stored beside the
 * hash, so the pepper can be rotated: new tokens use the current one, old tokens still verify under
 * theirs until they are rotated away.
 */
export class TokenHasher {
  private readonly peppers = new Map<string, Buffer>();

  constructor(
    private readonly current: Pepper,
    previous: readonly Pepper[] = [],
  ) {
    for (const pepper of [current, ...previous]) this.peppers.set(pepper.id, Buffer.from(pepper.secret, 'utf8'));
  }

  static fromConfig(config: { currentId: string; currentSecret: string; previous: readonly string[] }): TokenHasher {
    const previous = config.previous.map((entry) => {
      const at = entry.indexOf(':');
      return { id: entry.slice(0, at), secret: entry.slice(at + 1) };
    });
    return new TokenHasher({ id: config.currentId, secret: config.currentSecret }, previous);
  }

  get currentPepperId(): string {
    return this.current.id;
  }

  hash(raw: string): { hash: string; pepperId: string } {
    return { hash: this.digest(this.current.id, raw).toString('hex'), pepperId: this.current.id };
  }

  /** Constant-time: a wrong secret costs the same as a right one. */
  matches(raw: string, storedHex: string, pepperId: string): boolean {
    if (!this.peppers.has(pepperId)) return false;
    const expected = Buffer.from(storedHex, 'hex');
    const actual = this.digest(pepperId, raw);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /**
   * An unkeyed SHA-256 of a secret this process has just matched, to recognise that same secret again
   * without the HMAC (see SecretMatcher). A one-shot hash makes no Hmac object: in the api, where a verify
   * makes two, creating them cost about a quarter of its CPU (docs/benchmarks.md, session 36).
   */
  fingerprint(raw: string): string {
    // A string, not a Buffer: in a micro-benchmark, the Buffer's allocation cost more than the hash (1.2 against 0.36 µs).
    return hash('sha256', raw, 'base64url');
  }

  /** Keyed digest for other server-side secrets (CSRF tokens derived from a session). */
  derive(purpose: string, value: string): string {
    return this.deriveKey(purpose, value).toString('base64url');
  }

  /**
   * 32 bytes of key material for one purpose and subject (a tenant's address-hash key), under the
   * current pepper: unknown without it, and different for every purpose and subject.
   */
  deriveKey(purpose: string, value: string): Buffer {
    return this.digest(this.current.id, `${purpose}\u0000${value}`);
  }

  private digest(pepperId: string, value: string): Buffer {
    return createHmac('sha256', this.peppers.get(pepperId)!).update(value, 'utf8').digest();
  }
}

/**
 * Constant-time equality of two fingerprints (or any strings of one length), without the Buffers
 * `timingSafeEqual` needs: every character is compared whatever the first difference.
 */
export function sameFingerprint(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
