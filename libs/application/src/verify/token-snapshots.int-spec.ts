import { randomBytes } from 'node:crypto';
import { generateToken } from '@custos/domain';
import { Database, createDataSource, type Tx } from '@custos/persistence';
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
  const tenantId = `ten_snap_${randomBytes(4).toString('hex')}`;
  const { lookupId } = generateToken('live');

  beforeAll(async () => {
    await db.dataSource.initialize();
    await db.tenant(tenantId, async (tx) => {
      await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'snapshots')`, [tenantId]);
      await tx.rows(
        `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4,
                             scopes, status, expires_at, root_id)
         VALUES ($1, 'tok_snap', 'n', 'live', 'api', $2, 'ab', 'p1', 'abcd', '{a}', 'active', now() + interval '1 hour', 'tok_snap')`,
        [tenantId, lookupId],
      );
    });
  });
  afterAll(() => db.dataSource.destroy());

  it('loads a missing entry once however many requests miss at the same moment', async () => {
    const snapshots = new TokenSnapshots(db, new TokenCache({ verifyCacheTtlMs: 30_000, sessionTtlSeconds: 1, usageFlushIntervalMs: 1, loginMinResponseMs: 0 }));
    const before = db.transactions;
    const results = await Promise.all(Array.from({ length: 50 }, () => snapshots.anyTenant(lookupId)));
    expect(db.transactions - before).toBe(1);
    expect(new Set(results.map((r) => r?.id))).toEqual(new Set(['tok_snap']));
    await snapshots.anyTenant(lookupId);
    expect(db.transactions - before).toBe(1);
  });

  it("finds a token only inside its own tenant", async () => {
    const snapshots = new TokenSnapshots(db, new TokenCache({ verifyCacheTtlMs: 0, sessionTtlSeconds: 1, usageFlushIntervalMs: 1, loginMinResponseMs: 0 }));
    expect((await snapshots.inTenant(tenantId, lookupId))?.id).toBe('tok_snap');
    expect(await snapshots.inTenant('ten_someone_else', lookupId)).toBeNull();
    expect(await snapshots.anyTenant(generateToken('live').lookupId)).toBeNull();
  });
});
