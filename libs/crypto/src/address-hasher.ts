import { createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { TokenHasher } from './token-hasher';

const PURPOSE = 'usage-address';

/**
 * A keyed hash of a client's whole address, so that distinct addresses can be counted without keeping
 * any: HMAC-SHA256 under a key of the tenant's own, derived from the token pepper (TokenHasher.deriveKey
 * of "usage-address" and the tenant id). Without the pepper nobody can test a hash against guessed
 * addresses (all of IPv4 is only 2^32 guesses), and the same address hashes differently in two tenants,
 * so their data cannot be joined on it. Hash `canonicalAddress(ip)` (libs/domain), not the raw text, so
 * that one client is one hash whatever its spelling. The key follows the current pepper: after a pepper
 * rotation an address hashes anew, so a distinct count spanning the rotation counts it twice.
 */
export class AddressHasher {
  // One HMAC per tenant saved on every hash; bounded, as tenants are not.
  private readonly keys: LRUCache<string, Buffer>;

  constructor(
    private readonly hasher: Pick<TokenHasher, 'deriveKey'>,
    options: { cachedTenants?: number } = {},
  ) {
    this.keys = new LRUCache({ max: options.cachedTenants ?? 10_000 });
  }

  /** 43 base64url characters (256 bits). */
  hash(tenantId: string, canonicalAddress: string): string {
    return createHmac('sha256', this.keyOf(tenantId)).update(canonicalAddress, 'utf8').digest('base64url');
  }

  private keyOf(tenantId: string): Buffer {
    let key = this.keys.get(tenantId);
    if (!key) this.keys.set(tenantId, (key = this.hasher.deriveKey(PURPOSE, tenantId)));
    return key;
  }
}
