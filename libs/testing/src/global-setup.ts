import { execFileSync } from 'node:child_process';
import { newGithubTestKey } from './github-scanning';
import { randomBytes } from 'node:crypto';
import { runMigrations } from '@custos/persistence';
import { REPO_ROOT, startApi, type RunningApi } from './api-process';
import { adminUrl, appUrl, createAppLogin, withAdminClient } from './test-database';

declare global {
  var __CUSTOS_API__: RunningApi | undefined;
}

/**
 * One database per test run, so runs never collide, and one api process on it that the HTTP tests
 * share (each test works in tenants of its own). Dropped again by global-teardown.
 */
export default async function globalSetup(): Promise<void> {
  const name = `custos_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  await runMigrations(adminUrl(name));
  process.env.CUSTOS_TEST_DB = name;
  // After the migrations, which create custos_app: the login is a member of it.
  const login = await createAppLogin('custos_test_login');
  process.env.TEST_DATABASE_APP_ROLE = login.role;
  process.env.TEST_DATABASE_APP_PASSWORD = login.password;
  process.env.TEST_DATABASE_OWNER_URL = adminUrl(name);
  process.env.TEST_DATABASE_URL = appUrl(name);
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.CUSTOS_TEST_PEPPER = randomBytes(32).toString('base64url');
  process.env.CUSTOS_TEST_MASTER_KEY = randomBytes(32).toString('base64url');
  process.env.CUSTOS_TEST_GITHUB_SCANNING_KEY = newGithubTestKey();
  if (process.env.CUSTOS_TEST_SKIP_BUILD !== 'true') {
    execFileSync('npm', ['run', '-s', 'build:server'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  globalThis.__CUSTOS_API__ = await startApi();
  process.env.CUSTOS_API_URL = globalThis.__CUSTOS_API__.url;
}
