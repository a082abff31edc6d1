import { randomBytes } from 'node:crypto';
import { runMigrations } from '@custos/persistence';
import { adminUrl, appUrl, withAdminClient } from './test-database';

/** One database per test run, so runs never collide; dropped again by global-teardown. */
export default async function globalSetup(): Promise<void> {
  const name = `custos_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  await runMigrations(adminUrl(name));
  process.env.CUSTOS_TEST_DB = name;
  process.env.TEST_DATABASE_OWNER_URL = adminUrl(name);
  process.env.TEST_DATABASE_URL = appUrl(name);
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.CUSTOS_TEST_RUN = name;
}
