import { createHmac } from 'node:crypto';
import { AddressHasher } from './address-hasher';
import { TokenHasher } from './token-hasher';

describe('AddressHasher (distinct addresses counted without keeping them)', () => {
  const pepper = { id: 'p1', secret: 'x'.repeat(40) };
  const hasher = new AddressHasher(new TokenHasher(pepper));

  it('gives one address one hash in a tenant, and another address another', () => {
    const first = hasher.hash('ten_a', '203.0.113.7');
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hasher.hash('ten_a', '203.0.113.7')).toBe(first);
    expect(hasher.hash('ten_a', '203.0.113.8')).not.toBe(first);
    expect(first).not.toContain('203');
  });

  it('never gives two tenants the same hash of an address', () => {
    expect(hasher.hash('ten_a', '2001:db8::1')).not.toBe(hasher.hash('ten_b', '2001:db8::1'));
  });

  it('is HMAC-SHA256 of the address under HMAC(pepper, "usage-address\\0" + tenant), so stored hashes stay comparable', () => {
    const key = createHmac('sha256', pepper.secret).update('usage-address\u0000ten_a').digest();
    const expected = createHmac('sha256', key).update('198.51.100.23').digest('base64url');
    expect(hasher.hash('ten_a', '198.51.100.23')).toBe(expected);
  });

  it('cannot be reproduced without the pepper', () => {
    const other = new AddressHasher(new TokenHasher({ id: 'p1', secret: 'y'.repeat(40) }));
    expect(other.hash('ten_a', '198.51.100.23')).not.toBe(hasher.hash('ten_a', '198.51.100.23'));
  });

  it('derives a tenant key once while it is cached, and again after it was evicted', () => {
    const tokens = new TokenHasher(pepper);
    const derived: string[] = [];
    const counting = new AddressHasher(
      { deriveKey: (purpose, tenantId) => (derived.push(tenantId), tokens.deriveKey(purpose, tenantId)) },
      { cachedTenants: 2 },
    );
    const before = counting.hash('ten_a', '192.0.2.1');
    counting.hash('ten_a', '192.0.2.2');
    counting.hash('ten_b', '192.0.2.1');
    expect(derived).toEqual(['ten_a', 'ten_b']);
    counting.hash('ten_c', '192.0.2.1');
    expect(counting.hash('ten_a', '192.0.2.1')).toBe(before);
    expect(derived).toEqual(['ten_a', 'ten_b', 'ten_c', 'ten_a']);
  });
});
