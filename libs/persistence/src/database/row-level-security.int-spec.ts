import { Client } from 'pg';
import { Database } from './database';
import { createDataSource } from './data-source';

/** Isolation must hold even when a query forgets its tenant filter. */
describe('row-level security', () => {
  const db = new Database(createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 2 }));
  const [tenantA, tenantB] = [`ten_rls_a_${Date.now()}`, `ten_rls_b_${Date.now()}`];

  beforeAll(async () => {
    await db.dataSource.initialize();
    for (const tenant of [tenantA, tenantB]) {
      await db.tenant(tenant, async (tx) => {
        await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, $1)`, [tenant]);
        await tx.rows(`INSERT INTO services (tenant_id, id, name) VALUES ($1, $1 || '_svc', 'billing')`, [tenant]);
      });
    }
  });
  afterAll(() => db.dataSource.destroy());

  it('connects as a role that is neither superuser nor BYPASSRLS', async () => {
    const role = await db.system((tx) =>
      tx.one<{ rolsuper: boolean; rolbypassrls: boolean; current_user: string }>(
        `SELECT rolsuper, rolbypassrls, current_user FROM pg_roles WHERE rolname = current_user`,
      ),
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, current_user: 'custos_app' });
  });

  it('guards every table that holds tenant rows with row-level security and a tenant policy', async () => {
    // Any table added later with a tenant_id column and no policy fails here, whoever forgets it;
    // partitioned tables ('p') too, and each of their partitions ('r').
    const tables = await db.system((tx) =>
      tx.rows<{ table_name: string; rls: boolean; policies: string[] }>(
        `SELECT c.relname AS table_name, c.relrowsecurity AS rls,
                coalesce(array_agg(p.polname::text) FILTER (WHERE p.polname IS NOT NULL), '{}') AS policies
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
           LEFT JOIN pg_policy p ON p.polrelid = c.oid
          WHERE c.relkind IN ('r', 'p')
          GROUP BY c.relname, c.relrowsecurity
          ORDER BY c.relname`,
      ),
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['consents', 'consent_versions', 'tokens', 'audit_events', 'usage_events', 'usage_rollups_hourly']));
    for (const table of tables) expect({ table: table.table_name, rls: table.rls, policies: table.policies }).toEqual({
      table: table.table_name, rls: true, policies: expect.arrayContaining(['tenant_isolation']),
    });
  });

  it("an unfiltered query sees only the transaction's tenant", async () => {
    const seen = await db.tenant(tenantA, (tx) => tx.rows<{ tenant_id: string }>(`SELECT tenant_id FROM services`));
    expect(seen.map((r) => r.tenant_id)).toEqual([tenantA]);
    const tenants = await db.tenant(tenantB, (tx) => tx.rows<{ id: string }>(`SELECT id FROM tenants`));
    expect(tenants.map((r) => r.id)).toEqual([tenantB]);
  });

  it('sees nothing without a tenant, and cannot write into another tenant', async () => {
    expect(await db.system((tx) => tx.rows(`SELECT * FROM services`))).toEqual([]);
    await expect(
      db.tenant(tenantA, (tx) => tx.rows(`INSERT INTO services (tenant_id, id, name) VALUES ($1, 'svc_x', 'x')`, [tenantB])),
    ).rejects.toThrow(/row-level security/);
    const updated = await db.tenant(tenantA, (tx) => tx.affected(`UPDATE services SET description = 'pwned'`));
    expect(updated).toBe(1);
  });

  it('never puts anything but a well-formed tenant id into the transaction setup', async () => {
    await expect(db.tenant(`x', true); DROP TABLE tokens; --`, (tx) => tx.rows('SELECT 1'))).rejects.toThrow('invalid tenant id');
    expect(await db.tenant(tenantA, (tx) => tx.rows<{ t: string }>(`SELECT current_setting('app.tenant_id') AS t`))).toEqual([
      { t: tenantA },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit events, even to the owner', async () => {
    await db.tenant(tenantA, (tx) =>
      tx.rows(`INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type) VALUES ($1, now(), 'x', 'system')`, [
        tenantA,
      ]),
    );
    const owner = new Client({ connectionString: process.env.TEST_DATABASE_OWNER_URL });
    await owner.connect();
    try {
      await expect(owner.query(`UPDATE audit_events SET action = 'y'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
  });
});
