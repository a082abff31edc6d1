import { IpAllowList } from '@custos/domain';
import { TOKEN_CACHE_MAX_ENTRIES, TokenCache, type InvalidationPublisher, type TokenSnapshot } from './token-cache';

const expiresAt = new Date(Date.now() + 3600_000);
const snapshot = (lookupId: string, tenantId = 'ten_cache'): TokenSnapshot => ({
  id: `tok_${lookupId}`,
  tenantId,
  rootId: `tok_${lookupId}`,
  lookupId,
  secretHash: 'hash',
  pepperId: 'p1',
  ownerServiceId: null,
  actorName: 'billing',
  status: 'active',
  expiresAt,
  expiresAtIso: expiresAt.toISOString(),
  graceEndsAt: null,
  notBefore: null,
  scopes: [],
  allowList: new IpAllowList([]),
  allowedCidrs: [],
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

/** A loader whose reads the test finishes by hand, in any order. */
function manualLoader() {
  const reads: Array<{ lookupId: string; finish: (snapshot: TokenSnapshot | null) => void }> = [];
  const load = (lookupId: string) => new Promise<TokenSnapshot | null>((finish) => reads.push({ lookupId, finish }));
  return { load, reads };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TokenCache.fetch', () => {
  it('reads a missing entry once however many miss at the same moment, then answers from memory', async () => {
    const cache = new TokenCache(settings);
    const { load, reads } = manualLoader();
    const pending = Promise.all([cache.fetch('a', load), cache.fetch('a', load), cache.fetch('a', load)]);
    expect(reads).toHaveLength(1);
    reads[0]!.finish(snapshot('a'));
    expect((await pending).map((s) => s?.id)).toEqual(['tok_a', 'tok_a', 'tok_a']);
    expect((await cache.fetch('a', load))?.id).toBe('tok_a');
    expect(reads).toHaveLength(1);
  });

  it('keeps no answer for a token that is not there: the next miss asks again', async () => {
    const cache = new TokenCache(settings);
    const { load, reads } = manualLoader();
    const first = cache.fetch('a', load);
    reads[0]!.finish(null);
    expect(await first).toBeNull();
    const second = cache.fetch('a', load);
    expect(reads).toHaveLength(2);
    reads[1]!.finish(snapshot('a'));
    expect((await second)?.id).toBe('tok_a');
  });

  it("neither keeps nor lends a read that the token's invalidation overtook", async () => {
    const cache = new TokenCache(settings);
    const { load, reads } = manualLoader();
    const before = cache.fetch('a', load);
    await cache.invalidate(['a'], { broadcast: false });
    const after = cache.fetch('a', load);
    // The miss after the drop did not join the read begun before it.
    expect(reads).toHaveLength(2);
    reads[1]!.finish({ ...snapshot('a'), status: 'revoked' });
    reads[0]!.finish(snapshot('a'));
    expect((await before)?.status).toBe('active');
    expect((await after)?.status).toBe('revoked');
    expect(cache.get('a')?.status).toBe('revoked');
  });

  it("reads again when it joined a read begun before its tenant's drop, and keeps only the fresh one", async () => {
    const cache = new TokenCache(settings);
    const { load, reads } = manualLoader();
    const before = cache.fetch('a', load);
    await cache.invalidateTenants(['ten_cache'], { broadcast: false });
    const after = cache.fetch('a', load);
    reads[0]!.finish(snapshot('a'));
    expect((await before)?.status).toBe('active');
    await settle();
    expect(cache.get('a')).toBeUndefined();
    expect(reads).toHaveLength(2);
    reads[1]!.finish({ ...snapshot('a'), status: 'suspended' });
    expect((await after)?.status).toBe('suspended');
    expect(cache.get('a')?.status).toBe('suspended');
  });

  it('keeps nothing it read while suspended, nor a read begun before a suspension', async () => {
    const cache = new TokenCache(settings);
    const { load, reads } = manualLoader();
    const before = cache.fetch('a', load);
    cache.suspend();
    const during = cache.fetch('b', load);
    reads[0]!.finish(snapshot('a'));
    reads[1]!.finish(snapshot('b'));
    expect([(await before)?.id, (await during)?.id]).toEqual(['tok_a', 'tok_b']);
    cache.resume();
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, undefined]);
  });

  it('with a TTL of 0 reads every time and keeps nothing', async () => {
    const cache = new TokenCache({ ...settings, verifyCacheTtlMs: 0 });
    const { load, reads } = manualLoader();
    const first = cache.fetch('a', load);
    reads[0]!.finish(snapshot('a'));
    await first;
    const second = cache.fetch('a', load);
    expect(reads).toHaveLength(2);
    reads[1]!.finish(snapshot('a'));
    expect((await second)?.id).toBe('tok_a');
  });
});

describe('TokenCache when full', () => {
  it('drops the least recently used entry, not the first stored', () => {
    const cache = new TokenCache(settings);
    cache.set(snapshot('first'));
    cache.set(snapshot('second'));
    for (let i = 2; i < TOKEN_CACHE_MAX_ENTRIES; i++) cache.set(snapshot(`n${i}`));
    expect(cache.get('first')).toBeDefined();
    cache.set(snapshot('one-more'));
    expect(cache.get('second')).toBeUndefined();
    expect([cache.get('first')?.id, cache.get('one-more')?.id, cache.get('n2')?.id]).toEqual(['tok_first', 'tok_one-more', 'tok_n2']);
  });
});
