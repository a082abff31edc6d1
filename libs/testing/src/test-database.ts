import { randomBytes } from 'node:crypto';
import { RedisKeys, installationNamespace } from '@custos/contracts';
import { Client } from 'pg';
import { deleteRedisNamespace } from './redis-server';
import { persistence } from './heavy-libraries';

/** Where integration tests find Postgres; the README's test command sets it (or the local default is used). */
export function adminUrl(database = 'postgres'): string {
  const base = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A role the application logs in as: a member of custos_app and nothing more, as in production. */
export interface AppLogin {
  role: string;
  password: string;
}

/** The test run's login (made by global-setup), from the environment its processes inherit. */
function runLogin(): AppLogin {
  const role = process.env.TEST_DATABASE_APP_ROLE;
  if (!role) throw new Error('TEST_DATABASE_APP_ROLE is unset: the test run creates its login role in global-setup (createAppLogin)');
  return { role, password: process.env.TEST_DATABASE_APP_PASSWORD ?? '' };
}

/** The same server and database, logged in as the application (not superuser, not BYPASSRLS). */
export function appUrl(database: string, login: AppLogin = runLogin()): string {
  const url = new URL(adminUrl(database));
  url.username = login.role;
  url.password = login.password;
  return url.toString();
}

/**
 * A login role of its own for a test run (or a bench): roles belong to the whole server, and custos_app
 * itself cannot log in. Created after the migrations (which create custos_app); dropped by dropAppLogin.
 */
export async function createAppLogin(prefix = 'custos_login'): Promise<AppLogin> {
  const login = { role: `${prefix}_${randomBytes(4).toString('hex')}`, password: randomBytes(18).toString('base64url') };
  // base64url and hex only: safe inside the literal and the identifier.
  await withAdminClient('postgres', (client) =>
    client.query(
      `CREATE ROLE ${login.role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '${login.password}' IN ROLE custos_app`,
    ),
  );
  return login;
}

export async function dropAppLogin(login: AppLogin): Promise<void> {
  await withAdminClient('postgres', (client) => client.query(`DROP ROLE IF EXISTS ${login.role}`));
}

/** One pg connection for the length of `work`, closed whatever happens. */
export async function withPgClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function withAdminClient<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  return withPgClient(adminUrl(database), work);
}

/**
 * A database of a test's own (an installation of its own), migrated; the env an api or worker needs on it.
 * drop() also deletes what its default Redis namespace holds.
 */
export interface ScratchDatabase {
  name: string;
  env: { DATABASE_URL: string; DATABASE_MIGRATION_URL: string };
  drop(): Promise<void>;
}

export async function createScratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `custos_${label}_${randomBytes(4).toString('hex')}`;
  await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
  await (await persistence()).runMigrations(adminUrl(name));
  return {
    name,
    env: { DATABASE_URL: appUrl(name), DATABASE_MIGRATION_URL: adminUrl(name) },
    async drop() {
      await deleteRedisNamespace((await defaultRedisKeys(name)).namespace);
      await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The Redis names an api or worker on this database uses when CUSTOS_QUEUE_PREFIX is unset. */
export async function defaultRedisKeys(database: string): Promise<RedisKeys> {
  const { rows } = await withAdminClient(database, (client) => client.query<{ id: string }>(`SELECT id FROM installation`));
  return new RedisKeys(installationNamespace(rows[0]!.id));
}
