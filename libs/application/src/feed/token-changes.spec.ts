import type { Tx } from '@custos/persistence';
import { TokenCache } from '../verify/token-cache';
import { FEED_TOKENS_PER_CHANGE, TokenChanges } from './token-changes';
import type { NewFeedEntry } from './token-feed';

/** A transaction that commits at once: runs what waits for its commit when told. */
function committedTx(tenantId: string): Tx & { commit(): Promise<void> } {
  const tasks: Array<() => void | Promise<void>> = [];
  return {
    tenantId,
    afterCommit: (task: () => void | Promise<void>) => void tasks.push(task),
    commit: async () => {
      for (const task of tasks) await task();
    },
  } as unknown as Tx & { commit(): Promise<void> };
}

describe('TokenChanges', () => {
  const settings = { verifyCacheTtlMs: 30_000, sessionTtlSeconds: 1, usageFlushIntervalMs: 1000, loginMinResponseMs: 0 };

  function changesWith(feed: { append(tenantId: string, entries: readonly NewFeedEntry[]): Promise<void> }) {
    const published: Array<{ lookupIds: readonly string[]; tenantIds?: readonly string[] }> = [];
    const cache = new TokenCache(settings, { publish: async (lookupIds, tenantIds) => void published.push({ lookupIds, tenantIds }) });
    return { changes: new TokenChanges(cache, feed), published };
  }

  it('tells the other instances and the feed once committed, naming each token, and nothing before', async () => {
    const appended: Array<[string, readonly NewFeedEntry[]]> = [];
    const { changes, published } = changesWith({ append: async (tenantId, entries) => void appended.push([tenantId, entries]) });
    const tx = committedTx('ten_1');
    changes.afterCommit(tx, 'revoked', [{ id: 'tok_1', lookupId: 'lk1' }, { id: 'tok_2', lookupId: 'lk2' }]);
    expect(appended).toEqual([]);
    await tx.commit();
    expect(published).toEqual([{ lookupIds: ['lk1', 'lk2'] }]);
    expect(appended).toEqual([
      ['ten_1', [
        { event: 'token', data: { kind: 'revoked', tokenId: 'tok_1', lookupId: 'lk1', at: expect.any(String) } },
        { event: 'token', data: { kind: 'revoked', tokenId: 'tok_2', lookupId: 'lk2', at: expect.any(String) } },
      ]],
    ]);
  });

  it('says "drop the tenant" once for a change of more tokens than a feed should name', async () => {
    const appended: NewFeedEntry[][] = [];
    const { changes } = changesWith({ append: async (_tenantId, entries) => void appended.push([...entries]) });
    const tx = committedTx('ten_1');
    const many = Array.from({ length: FEED_TOKENS_PER_CHANGE + 1 }, (_, i) => ({ id: `tok_${i}`, lookupId: `lk${i}` }));
    changes.afterCommit(tx, 'revoked', many);
    await tx.commit();
    expect(appended).toEqual([[{ event: 'tenant', data: { kind: 'tokens_changed', at: expect.any(String) } }]]);
  });

  it('never fails the committed change when the feed cannot take it', async () => {
    const { changes, published } = changesWith({ append: () => Promise.reject(new Error('Redis away')) });
    const tx = committedTx('ten_1');
    changes.tenantAfterCommit(tx, 'ten_1');
    await expect(tx.commit()).resolves.toBeUndefined();
    expect(published).toEqual([{ lookupIds: [], tenantIds: ['ten_1'] }]);
  });
});
