import { migrateQueueSchema } from '@custos/runtime';
import {
  ApiClient,
  createScratchDatabase,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  startLauncher,
  startWorker,
  withAdminClient,
  type RunningApi,
  type RunningLauncher,
  type RunningProcess,
  type ScratchDatabase,
  type TestTenant,
} from '@custos/testing';

interface ReportBody {
  id: string;
  status: string;
}

/**
 * `npm start` on a machine without Redis: the queues, the token-cache invalidation and the rate limits run
 * without it. REDIS_URL points at a port where nothing listens, so anything that still reached for Redis
 * would fail. The worker's jobs run end to end through BullMQ's PostgreSQL backend on the embedded database:
 * a report requested through the api, and the expiry sweep on its schedule.
 */
describe('npm start with the queues on PostgreSQL (no Redis)', () => {
  let app: RunningLauncher;
  let tenant: TestTenant;
  let owner: ApiClient;

  beforeAll(async () => {
    app = await startLauncher({
      env: { CUSTOS_QUEUE_BACKEND: 'postgres', REDIS_URL: 'redis://127.0.0.1:9', CUSTOS_SWEEP_INTERVAL_MS: '1000' },
    });
    tenant = await signupTenant(new ApiClient(app.url), 'Queues on Postgres');
    owner = tenant.owner;
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
  }, 60_000);

  it('says in its banner that the queues run on PostgreSQL', () => {
    expect(app.output()).toContain('Queues:       PostgreSQL (schema custos_queues; CUSTOS_QUEUE_BACKEND=postgres)');
    expect(app.output()).toContain('Custos worker started (queues on PostgreSQL)');
  });

  it('generates a report through the worker', async () => {
    const requested = await owner.post<ReportBody>('/v1/reports', {
      framework: 'soc2',
      format: 'json',
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(requested.status).toBe(202);
    const report = await pollUntil(
      async () => (await owner.get<ReportBody>(`/v1/reports/${requested.body.id}`)).body,
      (r) => r.status === 'done' || r.status === 'failed',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(report.status).toBe('done');
  }, 40_000);

  it('expires a token on the sweep schedule, and verify refuses it', async () => {
    const issued = await issueToken(owner, { expiresInSeconds: 1 });
    const token = await pollUntil(
      async () => (await owner.get<{ status: string }>(`/v1/tokens/${issued.token.id}`)).body,
      (t) => t.status === 'expired',
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(token.status).toBe('expired');
  }, 30_000);

  it('keeps its verify cache on (the embedded wire server routes notifications to their listeners) and answers a revocation at once', async () => {
    expect(app.output()).toContain('invalidation channel subscribed: verify cache on');
    const issued = await issueToken(owner, { scopes: ['orders:read'] });
    const { client: service } = await serviceKey(tenant, ['custos:tokens:verify']);
    expect((await service.post<{ valid: boolean }>('/v1/verify', { token: issued.secret })).body.valid).toBe(true);
    expect((await owner.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'test' })).status).toBe(200);
    expect((await service.post<{ valid: boolean }>('/v1/verify', { token: issued.secret })).body.valid).toBe(false);
  });

  it('throttles log-ins in process', async () => {
    const anonymous = new ApiClient(app.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await anonymous.post('/v1/auth/login', { email: 'nobody@pg-queues.test', password: 'wrong password here' })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  }, 30_000);

  it('is ready without Redis, and stops cleanly: jobs drain before the database closes', async () => {
    const ready = await fetch(`${app.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    const exit = await app.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.output()).not.toMatch(/job failed|ECONNREFUSED 127\.0\.0\.1:9\b/);
    expect(app.output().trimEnd().split('\n').at(-1)).toBe('[custos] stopped');
  }, 60_000);
});

/**
 * The same backend on a real PostgreSQL server, as a production without Redis would run it: two api
 * instances and a worker logging in as custos_app's member (not the schema owner), token-cache
 * invalidation over LISTEN/NOTIFY between the instances, and a listener that comes back after its
 * connection is killed.
 */
describe('queues on a PostgreSQL server: two api instances and a worker', () => {
  let db: ScratchDatabase;
  let a: RunningApi;
  let b: RunningApi;
  let worker: RunningProcess;
  let tenant: TestTenant;
  let verifyOnA: ApiClient;

  const cacheOn = (api: RunningApi, times = 1): Promise<unknown> =>
    pollUntil(
      async () => api.output().split('verify cache on').length - 1,
      (count) => count >= times,
      { timeoutMs: 10_000, intervalMs: 50 },
    );

  beforeAll(async () => {
    db = await createScratchDatabase('pg_queues');
    await migrateQueueSchema(db.env.DATABASE_MIGRATION_URL);
    const env = { ...db.env, CUSTOS_QUEUE_BACKEND: 'postgres', REDIS_URL: 'redis://127.0.0.1:9', LOG_LEVEL: 'info' };
    [a, b, worker] = await Promise.all([startApi(env), startApi(env), startWorker(env)]);
    await Promise.all([cacheOn(a), cacheOn(b)]);
    tenant = await signupTenant(new ApiClient(a.url), 'Queues on a Postgres server');
    verifyOnA = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  }, 60_000);

  const valid = async (secret: string): Promise<boolean> =>
    (await verifyOnA.post<{ valid: boolean }>('/v1/verify', { token: secret })).body.valid;

  async function revokeOnB(id: string): Promise<void> {
    const ownerOnB = new ApiClient(b.url, tenant.owner.auth);
    expect((await ownerOnB.post(`/v1/tokens/${id}/revoke`, { reason: 'revoked on the other instance' })).status).toBe(200);
  }

  it('refuses on one instance a token revoked on the other while cached, as soon as the NOTIFY arrives', async () => {
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    expect(await valid(issued.secret)).toBe(true);
    expect(await valid(issued.secret)).toBe(true);
    await revokeOnB(issued.token.id);
    // The notification reaches A's listening connection a moment after B's answer (it is another
    // process): asked right then, A may still answer once from its cache, as over Redis (verify.e2e-spec).
    // Well within the cache's 30 s TTL, A refuses it.
    await pollUntil(() => valid(issued.secret), (isValid) => !isValid, { timeoutMs: 3000 });
  });

  it('listens again after its LISTEN connection is killed, and keeps refusing revoked tokens', async () => {
    await withAdminClient(db.name, (client) =>
      client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'custos-api-invalidations-listen'`),
    );
    await pollUntil(async () => a.output().includes('invalidation channel lost'), Boolean, { timeoutMs: 5_000 });
    await Promise.all([cacheOn(a, 2), cacheOn(b, 2)]);
    const issued = await issueToken(tenant.owner, { scopes: ['orders:read'] });
    expect(await valid(issued.secret)).toBe(true);
    await revokeOnB(issued.token.id);
    // As above: the NOTIFY reaches A a moment after B's answer, and A then refuses it.
    await pollUntil(() => valid(issued.secret), (isValid) => !isValid, { timeoutMs: 3000 });
  }, 20_000);

  it('runs a report job through the worker', async () => {
    const requested = await tenant.owner.post<ReportBody>('/v1/reports', {
      framework: 'gdpr',
      format: 'csv',
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(requested.status).toBe(202);
    const report = await pollUntil(
      async () => (await tenant.owner.get<ReportBody>(`/v1/reports/${requested.body.id}`)).body,
      (r) => r.status === 'done' || r.status === 'failed',
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(report.status).toBe('done');
  }, 30_000);
});
