import { LRUCache } from 'lru-cache';
import type { VerifyCacheHint, VerifyCode } from '@custos/contracts';
import type { VerifiableToken } from '@custos/domain/tokens/verify-rules';
import { verifiableFromHint } from '@custos/domain/tokens/cached-verification';

export interface CachedAnswer {
  token: VerifiableToken;
  tokenId: string;
  lookupId: string;
  scopes: string[];
  expiresAt: string;
  /** Set when the feed said the token is revoked or expired: final, so this is the answer until the entry's TTL. */
  refusal?: VerifyCode;
}

/** What a VALID answer's cache hint lets this process decide later verifies of the token with. */
export function cachedAnswerOf(tokenId: string, hint: VerifyCacheHint): CachedAnswer {
  return { token: verifiableFromHint(hint), tokenId, lookupId: hint.lookupId, scopes: hint.scopes, expiresAt: hint.expiresAt };
}

export interface VerifyCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Told how many entries each eviction dropped, for the metrics. */
  onEvicted: (count: number) => void;
}

/**
 * Cached verify answers by token hash, with an index from the feed's lookup ids to those hashes so that an
 * event about one token drops exactly its entries.
 */
export class VerifyCache {
  private readonly entries: LRUCache<string, CachedAnswer>;
  private readonly keysByLookupId = new Map<string, Set<string>>();

  constructor(private readonly options: VerifyCacheOptions) {
    this.entries = new LRUCache<string, CachedAnswer>({
      max: options.maxEntries,
      ttl: options.ttlMs,
      // Entries leave by TTL, by LRU pressure and by the feed alike: the index must forget them every time.
      dispose: (answer, key) => this.unindex(answer.lookupId, key),
    });
  }

  get(key: string): CachedAnswer | undefined {
    return this.entries.get(key);
  }

  store(key: string, answer: CachedAnswer): void {
    this.entries.set(key, answer);
    let keys = this.keysByLookupId.get(answer.lookupId);
    if (!keys) this.keysByLookupId.set(answer.lookupId, (keys = new Set()));
    keys.add(key);
  }

  /**
   * The token behind `lookupId` will never verify again (revoked, expired): its entries answer `refusal`
   * from now on, without asking Custos, until they leave by TTL. Returns how many entries it changed.
   */
  refuseLookupId(lookupId: string, refusal: VerifyCode): number {
    const keys = this.keysByLookupId.get(lookupId);
    if (!keys) return 0;
    let count = 0;
    for (const key of keys) {
      const answer = this.entries.get(key, { updateAgeOnGet: false });
      if (answer) {
        // Replaced in place (no set): the entry keeps its TTL and its place in the index.
        answer.refusal = refusal;
        count++;
      }
    }
    return count;
  }

  evictLookupId(lookupId: string): void {
    const keys = this.keysByLookupId.get(lookupId);
    if (!keys) return;
    const count = keys.size;
    for (const key of [...keys]) this.entries.delete(key);
    this.keysByLookupId.delete(lookupId);
    this.options.onEvicted(count);
  }

  clear(): void {
    const count = this.entries.size;
    this.entries.clear();
    this.keysByLookupId.clear();
    if (count > 0) this.options.onEvicted(count);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The keys held, for tests that check no raw token is among them. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  private unindex(lookupId: string, key: string): void {
    const keys = this.keysByLookupId.get(lookupId);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.keysByLookupId.delete(lookupId);
  }
}
