import { IpAllowList } from '@custos/domain';
import { TokenCache, type InvalidationPublisher, type TokenSnapshot } from './token-cache';

const expiresAt = new Date(Date.now() + 3600_000);
const snapshot = (lookupId: string, tenantId = 'ten_cache'): TokenSnapshot => ({
  id: `tok_${lookupId}`,
  tenantId,
  rootId: `tok_${lookupId}`,
  lookupId,
  secretHash: 'hash',
  pepperId: 'p1',
  ownerServiceId: null,
  status: 'active',
  expiresAt,
  expiresAtIso: expiresAt.toISOString(),
  graceEndsAt: null,
  notBefore: null,
  scopes: [],
  allowList: new IpAllowList([]),
  remainingUses: null,
});

const settings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 60, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 };

describe('TokenCache', () => {
  it('caches nothing while suspended, and starts empty when resumed', () => {
    const cache = new TokenCache(settings);
    cache.set(snapshot('a'));
    cache.suspend();
    expect(cache.get('a')).toBeUndefined();
    cache.set(snapshot('b'));
    expect(cache.get('b')).toBeUndefined();
    cache.resume();
    expect(cache.get('a')).toBeUndefined();
    cache.set(snapshot('c'));
    expect(cache.get('c')).toBeDefined();
  });

  it('does not keep a snapshot read before an invalidation that arrived while it was being read', async () => {
    const cache = new TokenCache(settings);
    const readSince = cache.generation;
    await cache.invalidate(['a'], { broadcast: false });
    cache.set(snapshot('a'), readSince);
    expect(cache.get('a')).toBeUndefined();
    cache.set(snapshot('a'), cache.generation);
    expect(cache.get('a')).toBeDefined();
  });

  it('does not keep a snapshot read before a suspension, even once resumed', () => {
    const cache = new TokenCache(settings);
    const readSince = cache.generation;
    cache.suspend();
    cache.resume();
    cache.set(snapshot('a'), readSince);
    expect(cache.get('a')).toBeUndefined();
  });

  it('tells the other instances about its own changes, not about theirs', async () => {
    const published: string[][] = [];
    const publisher: InvalidationPublisher = { publish: async (ids) => void published.push([...ids]) };
    const cache = new TokenCache(settings, publisher);
    await cache.invalidate(['a']);
    await cache.invalidate(['b'], { broadcast: false });
    expect(published).toEqual([['a']]);
  });

  it("drops every token of a tenant whose policy changed, and only that tenant's, here and everywhere", async () => {
    const published: Array<{ ids: string[]; tenants: string[] }> = [];
    const publisher: InvalidationPublisher = { publish: async (ids, tenants = []) => void published.push({ ids: [...ids], tenants: [...tenants] }) };
    const cache = new TokenCache(settings, publisher);
    cache.set(snapshot('a', 'ten_changed'));
    cache.set(snapshot('b', 'ten_changed'));
    cache.set(snapshot('c', 'ten_other'));
    const readSince = cache.generation;
    await cache.invalidateTenants(['ten_changed']);
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, undefined]);
    expect(cache.get('c')).toBeDefined();
    // A read that began before the change must not put back what it dropped.
    cache.set(snapshot('a', 'ten_changed'), readSince);
    expect(cache.get('a')).toBeUndefined();
    expect(published).toEqual([{ ids: [], tenants: ['ten_changed'] }]);
    await cache.invalidateTenants(['ten_other'], { broadcast: false });
    expect(cache.get('c')).toBeUndefined();
    expect(published).toHaveLength(1);
  });
});
