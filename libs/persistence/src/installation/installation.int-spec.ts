import { randomBytes } from 'node:crypto';
import { MIGRATIONS } from '@custos/migrations';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrations } from '../database/data-source';

/** The test run's server as its owner, on another database. */
function adminUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_OWNER_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The migrations an installation had before this one, and those it runs on upgrading. */
const INSTALLATION_AT = MIGRATIONS.findIndex((migration) => migration.name === 'AddInstallation1764900000000');
const UPGRADE = MIGRATIONS.slice(INSTALLATION_AT).map((migration) => migration.name);

async function withAdminClient<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * An installation upgraded to this migration: it gets its own random id, and its operator tenant is the
 * one its first start bootstrapped from CUSTOS_ADMIN_EMAIL (found by its tenant.created event), never a
 * tenant that signed up, even one older than the bootstrap.
 */
describe('the installation row, on an upgraded database', () => {
  const databases: string[] = [];
  afterAll(async () => {
    for (const name of databases) await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  /** A database migrated up to the one before this migration, with these tenants created in order. */
  async function before(tenants: Array<{ id: string; via: 'signup' | 'bootstrap' }>): Promise<string> {
    const name = `custos_mig_${randomBytes(4).toString('hex')}`;
    databases.push(name);
    await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
    const earlier = new DataSource({ type: 'postgres', url: adminUrl(name), migrations: MIGRATIONS.slice(0, INSTALLATION_AT), migrationsTableName: 'custos_migrations' });
    await earlier.initialize();
    try {
      await earlier.runMigrations({ transaction: 'each' });
    } finally {
      await earlier.destroy();
    }
    await withAdminClient(name, async (client) => {
      for (const [i, tenant] of tenants.entries()) {
        await client.query(`INSERT INTO tenants (id, name, created_at) VALUES ($1, $1, now() - make_interval(mins => $2))`, [tenant.id, 100 - i]);
        await client.query(
          `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, target_type, target_id, data)
           VALUES ($1, now() - make_interval(mins => $2), 'tenant.created', 'system', 'tenant', $1, jsonb_build_object('name', $1::text, 'via', $3::text))`,
          [tenant.id, 100 - i, tenant.via],
        );
      }
    });
    return name;
  }

  const installation = (name: string) =>
    withAdminClient(name, async (client) => (await client.query<{ id: string; operator_tenant_id: string | null }>(`SELECT id, operator_tenant_id FROM installation`)).rows);

  it('names the bootstrapped tenant the operator, though a sign-up came first', async () => {
    const name = await before([
      { id: 'ten_early_signup', via: 'signup' },
      { id: 'ten_bootstrapped', via: 'bootstrap' },
      { id: 'ten_late_signup', via: 'signup' },
    ]);
    expect(await runMigrations(adminUrl(name))).toEqual(UPGRADE);
    expect(await installation(name)).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{32}$/), operator_tenant_id: 'ten_bootstrapped' }]);
  });

  it('names no operator when nothing was bootstrapped, and a distinct id per database', async () => {
    const [first, second] = [await before([{ id: 'ten_only_signups', via: 'signup' }]), await before([])];
    await runMigrations(adminUrl(first));
    await runMigrations(adminUrl(second));
    const [one, two] = [(await installation(first))[0]!, (await installation(second))[0]!];
    expect(one.operator_tenant_id).toBeNull();
    expect(one.id).not.toBe(two.id);
  });
});
