import { Client } from 'pg';

/** Where integration tests find Postgres; the README's test command sets it (or the local default is used). */
export function adminUrl(database = 'postgres'): string {
  const base = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The same server and database, logged in as the application role (not superuser, not BYPASSRLS). */
export function appUrl(database: string): string {
  const url = new URL(adminUrl(database));
  url.username = 'custos_app';
  url.password = '';
  return url.toString();
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
