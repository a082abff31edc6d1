import { randomBytes } from 'node:crypto';
import { runMigrations } from '@custos/persistence';
import { adminUrl, appUrl, withAdminClient } from '@custos/testing';

export interface BenchDatabase {
  name: string;
  /** Owner (superuser in development): migrations, the raw-insert baseline. */
  ownerUrl: string;
  /** custos_app: what the api connects as, as in the integration tests. */
  appUrl: string;
  drop(): Promise<void>;
}

/** A database of its own for one bench run, migrated as the owner; dropped again by drop(). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `custos_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  try {
    await runMigrations(adminUrl(name));
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, ownerUrl: adminUrl(name), appUrl: appUrl(name), drop };
}
