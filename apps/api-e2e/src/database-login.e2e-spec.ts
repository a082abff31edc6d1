import { randomBytes } from 'node:crypto';
import { adminUrl, appUrl, startApi, startWorker, withAdminClient, withPgClient } from '@custos/testing';

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Row-level security binds the application's login only if that login is neither superuser nor
 * BYPASSRLS: the api and the worker say so at start-up, refuse it in production unless told otherwise,
 * and custos_app itself (which every transaction switches to) cannot log in at all.
 */
describe('the database login', () => {
  const superuserUrl = adminUrl(process.env.CUSTOS_TEST_DB!);
  const database = process.env.CUSTOS_TEST_DB!;

  it('cannot be custos_app: the role every transaction switches to does not log in', async () => {
    const url = new URL(appUrl(database));
    url.username = 'custos_app';
    url.password = '';
    await expect(withPgClient(url.toString(), (client) => client.query('SELECT 1'))).rejects.toThrow(
      /role "custos_app" is not permitted to log in/,
    );
    const role = await withAdminClient(database, (client) =>
      client.query(`SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'custos_app'`),
    );
    expect(role.rows).toEqual([{ rolcanlogin: false, rolsuper: false, rolbypassrls: false }]);
  });

  it('is refused in production when it is a superuser, by the api and the worker, saying what to do', async () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: superuserUrl };
    await expect(startApi(env)).rejects.toThrow(
      /api exited with 1:[\s\S]*Custos API refuses to start: DATABASE_URL logs in as "postgres", a superuser and BYPASSRLS role[\s\S]*CUSTOS_ALLOW_SUPERUSER_DB=true/,
    );
    await expect(startWorker(env)).rejects.toThrow(/worker exited with 1:[\s\S]*Custos worker refuses to start: DATABASE_URL logs in as "postgres"/);
  });

  it('starts in production with CUSTOS_ALLOW_SUPERUSER_DB=true, and warns', async () => {
    const api = await startApi({ NODE_ENV: 'production', DATABASE_URL: superuserUrl, CUSTOS_ALLOW_SUPERUSER_DB: 'true' });
    try {
      const warning = api
        .output()
        .split('\n')
        .map((line) => (line.startsWith('{') ? (JSON.parse(line) as { level: number; msg: string }) : undefined))
        .find((entry) => entry?.msg.startsWith('SECURITY WARNING'));
      expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('row-level security does not bind it') });
    } finally {
      await api.stop();
    }
  });

  it('is warned about outside production, and accepted quietly with the embedded database, which says why', async () => {
    const development = await startApi({ DATABASE_URL: superuserUrl });
    const embedded = await startApi({ NODE_ENV: 'production', DATABASE_URL: superuserUrl, CUSTOS_EMBEDDED_DATABASE: 'true', LOG_LEVEL: 'info' });
    try {
      expect(development.output()).toContain('SECURITY WARNING');
      expect(embedded.output()).not.toContain('SECURITY WARNING');
      expect(embedded.output()).toContain('acceptable here because only the account running Custos can reach it');
    } finally {
      await Promise.all([development.stop(), embedded.stop()]);
    }
  });

  it('is refused when it is not a member of custos_app, naming the grant', async () => {
    const role = `custos_stranger_${randomBytes(4).toString('hex')}`;
    await withAdminClient('postgres', (client) => client.query(`CREATE ROLE ${role} LOGIN`));
    try {
      const url = new URL(appUrl(database));
      url.username = role;
      url.password = '';
      await expect(startApi({ DATABASE_URL: url.toString() })).rejects.toThrow(`GRANT custos_app TO "${role}"`);
    } finally {
      await withAdminClient('postgres', (client) => client.query(`DROP ROLE ${role}`));
    }
  });
});
