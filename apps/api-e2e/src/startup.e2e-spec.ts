import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { runMigrations } from '@custos/persistence';
import { API_MAIN, ApiClient, PASSWORD, REPO_ROOT, adminUrl, appUrl, login, startApi, withAdminClient } from '@custos/testing';

/** How the api process behaves at start: configuration checks, first-admin bootstrap, auth rate limit. */
describe('api start-up', () => {
  it('refuses to start without a required secret, naming the variable', () => {
    const result = spawnSync(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: process.env.TEST_DATABASE_URL! },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CUSTOS_TOKEN_PEPPER is required');
    expect(result.stderr).toContain('CUSTOS_MASTER_KEY is required');
  });

  it('refuses an invalid value, naming it', () => {
    const result = spawnSync(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'mysql://nope', CUSTOS_TOKEN_PEPPER: 'short', PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL is invalid/);
    expect(result.stderr).toMatch(/CUSTOS_TOKEN_PEPPER is invalid/);
    expect(result.stderr).toMatch(/PORT is invalid/);
  });

  describe('on an empty database', () => {
    const name = `custos_boot_${randomBytes(4).toString('hex')}`;
    const email = `admin-${randomBytes(4).toString('hex')}@example.test`;

    beforeAll(async () => {
      await withAdminClient('postgres', (client) => client.query(`CREATE DATABASE ${name}`));
      await runMigrations(adminUrl(name));
    });
    afterAll(async () => {
      await withAdminClient('postgres', (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    });

    it('creates the first tenant and its owner from CUSTOS_ADMIN_*, once', async () => {
      const env = {
        DATABASE_URL: appUrl(name),
        DATABASE_MIGRATION_URL: adminUrl(name),
        CUSTOS_ADMIN_EMAIL: email,
        CUSTOS_ADMIN_PASSWORD: PASSWORD,
        CUSTOS_ORG_NAME: 'Bootstrapped',
      };
      for (let start = 0; start < 2; start++) {
        const api = await startApi(env);
        try {
          const owner = await login(new ApiClient(api.url), email, PASSWORD);
          const me = await owner.get<{ user: { role: string }; tenant: { name: string } }>('/v1/me');
          expect(me.body).toMatchObject({ user: { role: 'owner' }, tenant: { name: 'Bootstrapped' } });
        } finally {
          await api.stop();
        }
      }
      const tenants = await withAdminClient(name, (client) => client.query(`SELECT name FROM tenants`));
      expect(tenants.rows).toEqual([{ name: 'Bootstrapped' }]);
    });
  });

  it('rate-limits log-in attempts per client address, answering 429 problem+json', async () => {
    const api = await startApi({ CUSTOS_AUTH_RATE_LIMIT: '3' });
    try {
      // An address of its own: the count is in Redis, shared with every api of this installation.
      const client = new ApiClient(api.url).from('127.0.0.31');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await client.post('/v1/auth/login', { email: 'nobody@example.test', password: 'wrong password' })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await client.post('/v1/auth/login', { email: 'nobody@example.test', password: 'x' });
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await client.from('127.0.0.32').post('/v1/auth/login', { email: 'nobody@example.test', password: 'x' })).status).toBe(401);
      // Only authentication is throttled: the rest of the API is not.
      expect((await client.get('/health/live')).status).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('serves the OpenAPI document and its UI', async () => {
    const api = ApiClient.fromEnv();
    const doc = await api.get<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/tokens', '/v1/verify']));
    const ui = await api.get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('<html');
  });

  it('documents how to authenticate as the api checks it: an opaque bearer token, or the session cookie with its CSRF header on changes', async () => {
    type Operation = { security?: Array<Record<string, string[]>> };
    const doc = (await ApiClient.fromEnv().get<{
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; bearerFormat?: string }> };
    }>('/openapi.json')).body;
    const schemes = doc.components.securitySchemes;
    expect(schemes.bearer?.bearerFormat).not.toMatch(/JWT/);
    expect(schemes.csrf).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });

    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    const referenced = new Set(operations.flatMap(({ op }) => (op.security ?? []).flatMap((r) => Object.keys(r))));
    expect([...referenced].filter((name) => !(name in schemes))).toEqual([]);
    const withSession = operations.filter(({ op }) => op.security?.some((r) => 'cookie' in r));
    const changes = withSession.filter(({ method }) => method !== 'get');
    expect(changes.length).toBeGreaterThan(20);
    expect(changes.filter(({ op }) => !op.security!.some((r) => 'cookie' in r && 'csrf' in r)).map(({ path, method }) => `${method} ${path}`)).toEqual([]);
    expect(withSession.filter(({ method, op }) => method === 'get' && op.security!.some((r) => 'csrf' in r)).map(({ path }) => path)).toEqual([]);
  });
});
