import { randomBytes } from 'node:crypto';
import { createDataSource } from './data-source';
import { Database, sqlLiteral, type OpeningRead } from './database';

/** Reads a transaction sends with its BEGIN (TenantWorkOptions.opening), in the same round trip. */
describe('opening reads', () => {
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  const [tenantId, otherTenant] = [`ten_open_a_${randomBytes(4).toString('hex')}`, `ten_open_b_${randomBytes(4).toString('hex')}`];

  beforeAll(async () => {
    await db.dataSource.initialize();
    for (const tenant of [tenantId, otherTenant]) {
      await db.tenant(tenant, (tx) => tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, $1)`, [tenant]));
    }
  });
  afterAll(() => db.dataSource.destroy());

  const whoAmI: OpeningRead = {
    key: 'who-am-i',
    sql: (tenant) => `SELECT current_user AS role, current_setting('app.tenant_id') AS setting, ${tenant === '' ? 'NULL' : `'${tenant}'`} AS literal,
                             (SELECT array_agg(id ORDER BY id) FROM tenants) AS visible`,
  };

  it('runs them as the tenant, after the settings, and hands their rows to the first to take them', async () => {
    const taken = await db.tenant(
      tenantId,
      async (tx) => [tx.opened<Record<string, unknown>>(whoAmI.key), tx.opened(whoAmI.key), tx.opened('never-sent')],
      { opening: [whoAmI] },
    );
    // Row-level security applies to them as to any statement of the transaction.
    expect(taken).toEqual([[{ role: 'custos_app', setting: tenantId, literal: tenantId, visible: [tenantId] }], undefined, undefined]);
  });

  it('gives the rows of the batch that opens a transaction to the works that join it', async () => {
    const works = Array.from({ length: 3 }, () => db.tenant(tenantId, async (tx) => tx.opened(whoAmI.key)?.length ?? 0, { batch: true, opening: [whoAmI] }));
    // One transaction (the later works join the first's): its one row goes to whichever work takes it first.
    expect((await Promise.all(works)).sort()).toEqual([0, 0, 1]);
  });

  it('fails its transaction when a read fails, and leaves the connection clean for the next one', async () => {
    const lone = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 }));
    await lone.dataSource.initialize();
    try {
      const failing: OpeningRead = { key: 'failing', sql: () => `SELECT 1 / 0 AS n` };
      await expect(lone.tenant(tenantId, async () => 'never', { opening: [failing] })).rejects.toThrow('division by zero');
      // The pool's one connection again: outside any transaction, so this one begins and commits its own.
      expect(await lone.tenant(tenantId, (tx) => tx.one<{ t: string }>(`SELECT current_setting('app.tenant_id') AS t`))).toEqual({ t: tenantId });
    } finally {
      await lone.dataSource.destroy();
    }
  });

  it('inlines only what is shaped like our own ids', () => {
    expect(sqlLiteral('key_0Lq3eV1a8dX2m9pQ4rT7sW')).toBe(`'key_0Lq3eV1a8dX2m9pQ4rT7sW'`);
    for (const hostile of [`x'; DROP TABLE tokens; --`, 'a b', '', 'é', 'x'.repeat(65)]) expect(sqlLiteral(hostile)).toBeNull();
  });
});
