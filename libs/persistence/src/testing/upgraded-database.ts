import { randomBytes } from 'node:crypto';
import { MIGRATIONS } from '@custos/migrations';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrations } from '../database/data-source';

/**
 * For tests of a migration on an installation that is upgraded to it (not exported by the lib): a
 * database of the test run's server migrated up to the one before `migration`, filled as its test
 * says, then upgraded. Needs TEST_DATABASE_OWNER_URL (set by the test run's global setup).
 */
export interface DatabaseBefore {
  /** Runs SQL as the database's owner (past row-level security). */
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs the remaining migrations; their names, in order. */
  upgrade(): Promise<string[]>;
}

/** The test run's server as its owner, on another database. */
function adminUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_OWNER_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminClient<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl(database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function indexOf(migration: string): number {
  const at = MIGRATIONS.findIndex((m) => m.name === migration);
  if (at < 0) throw new Error(`no migration ${migration}`);
  return at;
}

/** The migrations an installation upgraded to `migration` runs, that one first. */
export function migrationsFrom(migration: string): string[] {
  return MIGRATIONS.slice(indexOf(migration)).map((m) => m.name);
}

/** Databases made for one test file; `dropAll` in its afterAll. */
export function upgradedDatabases(): { before(migration: string): Promise<DatabaseBefore>; dropAll(): Promise<void> } {
  const names: string[] = [];
  return {
    async before(migration) {
      const name = `custos_mig_${randomBytes(4).toString('hex')}`;
      names.push(name);
      await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
      const earlier = new DataSource({ type: 'postgres', url: adminUrl(name), migrations: MIGRATIONS.slice(0, indexOf(migration)), migrationsTableName: 'custos_migrations' });
      await earlier.initialize();
      try {
        await earlier.runMigrations({ transaction: 'each' });
      } finally {
        await earlier.destroy();
      }
      return {
        query: <T extends object>(sql: string, params: unknown[] = []) => withAdminClient(name, async (client) => (await client.query<T>(sql, params)).rows),
        upgrade: () => runMigrations(adminUrl(name)),
      };
    },
    async dropAll() {
      for (const name of names) await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
