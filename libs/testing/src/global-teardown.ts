import { deleteRedisNamespace } from './redis-server';
import { defaultRedisKeys, dropAppLogin, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const api = globalThis.__CUSTOS_API__;
  if (api) {
    const code = await api.stop();
    if (code !== 0 && code !== 'SIGTERM') process.stderr.write(`api exited with ${code}:\n${api.output()}\n`);
  }
  const name = process.env.CUSTOS_TEST_DB;
  if (!name || process.env.CUSTOS_KEEP_TEST_DB === 'true') return;
  await deleteRedisNamespace((await defaultRedisKeys(name)).namespace);
  await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  // Last: the run's other databases (dropped by their tests) no longer hold its connections.
  const role = process.env.TEST_DATABASE_APP_ROLE;
  if (role) await dropAppLogin({ role, password: '' });
}
