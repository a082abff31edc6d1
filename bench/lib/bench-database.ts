import { randomBytes } from 'node:crypto';
import { runMigrations } from '@custos/persistence';
import { adminUrl, appUrl, createAppLogin, dropAppLogin, withAdminClient, type AppLogin } from '@custos/testing';

export interface BenchDatabase {
  name: string;
  /** Owner (superuser in development): migrations, the raw-insert baseline. */
  ownerUrl: string;
  /** A login of its own that is a member of custos_app: what the api connects as, as in the integration tests. */
  appUrl: string;
  login: AppLogin;
  drop(): Promise<void>;
}

/** A database of its own for one bench run, migrated as the owner; dropped again by drop(). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `custos_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  let dropped = false;
  let login: AppLogin | undefined;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    if (login) await dropAppLogin(login);
  };
  try {
    await runMigrations(adminUrl(name));
    login = await createAppLogin('custos_bench_login');
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, ownerUrl: adminUrl(name), appUrl: appUrl(name, login), login, drop };
}
