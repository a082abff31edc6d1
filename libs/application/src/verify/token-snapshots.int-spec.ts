import { generateToken } from '@custos/domain';
import { Database, TokenSnapshotRepository, createDataSource, type Tx } from '@custos/persistence';
import { createTenant, insertTokenRow } from '@custos/fixtures';
import { TokenCache } from './token-cache';
import { TokenSnapshots } from './token-snapshots';

/** Counts the transactions it runs: the real database underneath, observed. */
class CountingDatabase extends Database {
  transactions = 0;
  override system<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.transactions++;
    return super.system(work);
  }
}

describe('TokenSnapshots', () => {
  const db = new CountingDatabase(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 4 }));
  let tenantId: string;
  let lookupId: string;

  beforeAll(async () => {
    await db.dataSource.initialize();
    tenantId = await createTenant(db, 'snapshots');
    ({ lookupId } = await insertTokenRow(db, tenantId, { id: 'tok_snap', scopes: ['a'] }));
  });
  afterAll(() => db.dataSource.destroy());

  it('loads a missing entry once however many requests miss at the same moment', async () => {
    const snapshots = new TokenSnapshots(
      db,
      new TokenCache({ verifyCacheTtlMs: 30_000, sessionTtlSeconds: 1, usageFlushIntervalMs: 1, loginMinResponseMs: 0 }),
      new TokenSnapshotRepository(),
    );
    const before = db.transactions;
    const results = await Promise.all(Array.from({ length: 50 }, () => snapshots.anyTenant(lookupId)));
    expect(db.transactions - before).toBe(1);
    expect(new Set(results.map((r) => r?.id))).toEqual(new Set(['tok_snap']));
    await snapshots.anyTenant(lookupId);
    expect(db.transactions - before).toBe(1);
  });

  it("finds a token only inside its own tenant", async () => {
    const snapshots = new TokenSnapshots(
      db,
      new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1, loginMinResponseMs: 0 }),
      new TokenSnapshotRepository(),
    );
    expect((await snapshots.inTenant(tenantId, lookupId))?.id).toBe('tok_snap');
    expect(await snapshots.inTenant('ten_someone_else', lookupId)).toBeNull();
    expect(await snapshots.anyTenant(generateToken('live').lookupId)).toBeNull();
  });
});
