import { randomBytes } from 'node:crypto';
import { Database, type TenantResolver } from './database';
import { createDataSource } from './data-source';

/** A transaction that learns its tenant from a resolver enters it as Database's own tenant transactions do. */
describe('Database.tenantResolvedBy', () => {
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  const suffix = randomBytes(4).toString('hex');
  const [tenantA, tenantB] = [`ten_resolve_a_${suffix}`, `ten_resolve_b_${suffix}`];
  const lookupOf = (tenant: string) => `lk${tenant.slice(-14)}`;
  const byLookupId = (lookupId: string): TenantResolver => ({ expression: 'custos_resolve_token($1)', params: [lookupId] });

  beforeAll(async () => {
    await db.dataSource.initialize();
    for (const tenant of [tenantA, tenantB]) {
      await db.tenant(tenant, async (tx) => {
        await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, $1)`, [tenant]);
        await tx.rows(
          `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4, status, expires_at, root_id)
           VALUES ($1, 'tok_resolved', 'n', 'live', 'api', $2, 'ab', 'p1', 'abcd', 'active', now() + interval '1 hour', 'tok_resolved')`,
          [tenant, lookupOf(tenant)],
        );
      });
    }
  });
  afterAll(() => db.dataSource.destroy());

  it("runs the work as the resolved tenant: Tx.tenantId says so and only that tenant's rows are visible", async () => {
    const seen = await db.tenantResolvedBy(byLookupId(lookupOf(tenantB)), async (tx) => ({
      txTenant: tx.tenantId,
      setting: (await tx.one<{ t: string }>(`SELECT current_setting('app.tenant_id') AS t`))?.t,
      tokens: await tx.rows<{ tenant_id: string }>(`SELECT tenant_id FROM tokens WHERE id = 'tok_resolved'`),
    }));
    expect(seen).toEqual({ txTenant: tenantB, setting: tenantB, tokens: [{ tenant_id: tenantB }] });
  });

  it('answers null without running the work when the resolver names no tenant', async () => {
    let ran = false;
    const result = await db.tenantResolvedBy(byLookupId('lk_nobody_has_this'), async () => {
      ran = true;
      return 'ran';
    });
    expect([result, ran]).toEqual([null, false]);
  });

  it('runs what the work asked for after commit, and nothing of it when the work fails', async () => {
    const done: string[] = [];
    await db.tenantResolvedBy(byLookupId(lookupOf(tenantA)), async (tx) => {
      tx.afterCommit(() => void done.push('committed'));
      expect(done).toEqual([]);
    });
    await expect(
      db.tenantResolvedBy(byLookupId(lookupOf(tenantA)), async (tx) => {
        tx.afterCommit(() => void done.push('rolled back'));
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(done).toEqual(['committed']);
  });
});
