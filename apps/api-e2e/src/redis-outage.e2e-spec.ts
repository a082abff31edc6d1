import { randomBytes } from 'node:crypto';
import { QUEUES } from '@custos/contracts';
import {
  ApiClient,
  asOwner,
  issueToken,
  pollUntil,
  serviceKey,
  signupTenant,
  startApi,
  startTestRedis,
  startWorker,
  verifyToken,
  type IssuedBody,
  type RunningApi,
  type RunningProcess,
  type TestRedisServer,
  type TestTenant,
  type TokenBody,
} from '@custos/testing';
import { Queue } from 'bullmq';

/** SIGTERM, then SIGKILL if the process has not exited in time (which the caller then sees). */
async function stopWithin(running: RunningProcess | undefined, ms = 15_000): Promise<number | NodeJS.Signals | null | undefined> {
  if (!running) return undefined;
  const timer = setTimeout(() => running.process.kill('SIGKILL'), ms);
  try {
    return await running.stop();
  } finally {
    clearTimeout(timer);
  }
}

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * Redis is where the verify caches hear about changes and where the worker's schedules live, but not
 * where anything is decided: with Redis hung or gone, verify and issue answer from Postgres, changes
 * are acknowledged without waiting on it, and once it is back (empty) the worker re-registers its
 * schedules and catches up with everything that fell due meanwhile, once.
 */
describe('Redis outage', () => {
  const prefix = `{custos-outage-${randomBytes(4).toString('hex')}}`;
  let redis: TestRedisServer;
  let api: RunningApi;
  /** A second instance on the same database and Redis, whose cache must not outlive what it cannot hear. */
  let other: RunningApi;
  let worker: RunningProcess;
  let tenant: TestTenant;
  let verifier: ApiClient;
  let otherVerifier: ApiClient;
  /** Issued with a one-second lifetime while Redis was stopped. */
  const dueDuring: IssuedBody[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    [api, other] = await Promise.all([
      startApi({ REDIS_URL: redis.url, CUSTOS_QUEUE_PREFIX: prefix }),
      startApi({ REDIS_URL: redis.url, CUSTOS_QUEUE_PREFIX: prefix }),
    ]);
    worker = await startWorker({
      REDIS_URL: redis.url,
      CUSTOS_QUEUE_PREFIX: prefix,
      CUSTOS_SWEEP_INTERVAL_MS: '200',
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200',
    });
    tenant = await signupTenant(new ApiClient(api.url), 'Outage');
    verifier = (await serviceKey(tenant, ['custos:tokens:verify'])).client;
    otherVerifier = new ApiClient(other.url, verifier.auth);
  }, 60_000);

  afterAll(async () => {
    // Each one stopped even if another fails to stop.
    const stopped = await Promise.allSettled([stopWithin(worker), stopWithin(api), stopWithin(other)]);
    await redis?.stop('SIGKILL');
    for (const result of stopped) if (result.status === 'rejected') throw result.reason;
  }, 60_000);

  const verify = (secret: string) => verifyToken(verifier, secret);
  const verifyOnOther = (secret: string) => verifyToken(otherVerifier, secret);
  /** Suspends a token behind the api's back (no invalidation sent): only an instance that caches still says VALID. */
  const suspendQuietly = (id: string) =>
    asOwner((db) => db.query(`UPDATE tokens SET status = 'suspended' WHERE tenant_id = $1 AND id = $2`, [tenant.tenantId, id]));
  const issue = (overrides: Record<string, unknown> = {}) => issueToken(tenant.owner, overrides);
  const statusOf = async (id: string) => (await tenant.owner.get<TokenBody>(`/v1/tokens/${id}`)).body.status;
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
  };
  /** HTTP status and the readiness verdict: Redis down leaves the api ready (200) but "degraded". */
  const ready = async () => {
    const res = await fetch(`${api.url}/health/ready`);
    return `${res.status} ${((await res.json()) as { status: string }).status}`;
  };
  const metrics = async () => (await fetch(`${api.url}/metrics`)).text();
  /** Audit events by target, read as the database owner: what the chain says happened to each token. */
  const eventCounts = (action: string) =>
    asOwner(async (db) => {
      const rows = await db.query<{ target_id: string; n: string }>(
        `SELECT target_id, count(*) AS n FROM audit_events WHERE tenant_id = $1 AND action = $2 GROUP BY target_id`,
        [tenant.tenantId, action],
      );
      return Object.fromEntries(rows.rows.map((r) => [r.target_id, Number(r.n)]));
    });

  describe('a hung Redis (frozen: connections open, no answers)', () => {
    afterAll(() => redis.thaw());

    it('delays a revocation by at most the command timeout, and verify answers REVOKED', async () => {
      const token = await issue();
      expect((await verify(token.secret)).code).toBe('VALID');
      redis.freeze();
      const revoked = await timed(() => tenant.owner.post(`/v1/tokens/${token.token.id}/revoke`, { reason: 'hung redis' }));
      expect(revoked.value.status).toBe(200);
      // The publish waits at most 1 s (REDIS_COMMAND_TIMEOUT_MS) before the change is acknowledged anyway.
      expect(revoked.ms).toBeLessThan(3000);
      expect((await verify(token.secret)).code).toBe('REVOKED');
    });
  });

  describe('a stopped Redis', () => {
    let cached: IssuedBody;
    let issuedDuring: IssuedBody;

    beforeAll(async () => {
      // Back from the freeze first, so the next phase starts from a working Redis.
      await pollUntil(ready, (status) => status === '200 ok', { timeoutMs: 10_000, intervalMs: 100 });
      cached = await issue();
      expect((await verify(cached.secret)).code).toBe('VALID');
      expect((await verifyOnOther(cached.secret)).code).toBe('VALID');
      // The other instance caches while Redis is up (else the checks below would prove nothing).
      const probe = await issue();
      expect((await verifyOnOther(probe.secret)).code).toBe('VALID');
      await suspendQuietly(probe.token.id);
      expect((await verifyOnOther(probe.secret)).code).toBe('VALID');
      await redis.stop();
    });

    it('is reported by /health/ready (still ready: degraded) and /metrics, which still answer', async () => {
      const readiness = await pollUntil(
        async () => {
          const res = await fetch(`${api.url}/health/ready`);
          return { status: res.status, body: (await res.json()) as { status: string; details?: Record<string, { status: string }> } };
        },
        (r) => r.status === 200 && r.body.status === 'degraded',
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(readiness.body.details).toMatchObject({ database: { status: 'up' }, redis: { status: 'down' } });
      const scraped = await timed(metrics);
      expect(scraped.ms).toBeLessThan(3000);
      expect(scraped.value).toMatch(/^custos_redis_up 0$/m);
    });

    it('keeps verify and issue working, from Postgres', async () => {
      expect((await verify(cached.secret)).code).toBe('VALID');
      const issued = await timed(() => issue());
      issuedDuring = issued.value;
      expect(issued.ms).toBeLessThan(3000);
      expect((await verify(issuedDuring.secret)).code).toBe('VALID');
    });

    it('acknowledges a revocation at once, and every instance answers REVOKED', async () => {
      const revoked = await timed(() => tenant.owner.post(`/v1/tokens/${cached.token.id}/revoke`, { reason: 'outage' }));
      expect(revoked.value.status).toBe(200);
      expect(revoked.ms).toBeLessThan(2000);
      expect((await verify(cached.secret)).code).toBe('REVOKED');
      // The other instance had the token cached and could not be told: it must not answer from its cache.
      expect((await verifyOnOther(cached.secret)).code).toBe('REVOKED');
    });

    it('caches nothing while it cannot hear invalidations', async () => {
      const token = await issue();
      expect((await verifyOnOther(token.secret)).code).toBe('VALID');
      await suspendQuietly(token.token.id);
      expect((await verifyOnOther(token.secret)).code).toBe('SUSPENDED');
    });

    it('lets tokens fall due that no worker can sweep yet (verify refuses them by their date)', async () => {
      for (let i = 0; i < 3; i++) dueDuring.push(await issue({ expiresInSeconds: 1 }));
      for (const token of dueDuring) {
        await pollUntil(() => verify(token.secret), (r) => r.code === 'EXPIRED', { timeoutMs: 5000, intervalMs: 100 });
        expect(await statusOf(token.token.id)).toBe('active');
      }
    });

    it('loses nothing it acknowledged: every change is in Postgres with its audit event', async () => {
      expect(await statusOf(cached.token.id)).toBe('revoked');
      expect(await statusOf(issuedDuring.token.id)).toBe('active');
      expect((await eventCounts('token.revoked'))[cached.token.id]).toBe(1);
      const issuedEvents = await eventCounts('token.issued');
      for (const token of [issuedDuring, ...dueDuring]) expect(issuedEvents[token.token.id]).toBe(1);
    });
  });

  describe('Redis back, empty', () => {
    let queue: Queue;

    beforeAll(async () => {
      await redis.start();
      queue = new Queue(QUEUES.maintenance, { connection: { url: redis.url }, prefix });
    });
    afterAll(async () => {
      await queue.close();
    });

    it('is ready again', async () => {
      await pollUntil(ready, (status) => status === '200 ok', { timeoutMs: 15_000, intervalMs: 100 });
      expect(await metrics()).toMatch(/^custos_redis_up 1$/m);
    });

    it('gets its schedules back from the worker, once each', async () => {
      const schedulers = await pollUntil(
        () => queue.getJobSchedulers(),
        (found) => found.some((s) => s.key === 'tokens-expire'),
        { timeoutMs: 15_000, intervalMs: 100 },
      );
      const ids = schedulers.map((s) => s.key);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(['audit-seal', 'tokens-expire', 'tokens-end-grace']));
    });

    it('expires what fell due during the outage, with exactly one token.expired event each', async () => {
      const ids = dueDuring.map((t) => t.token.id);
      expect(ids).toHaveLength(3);
      await pollUntil(() => Promise.all(ids.map(statusOf)), (statuses) => statuses.every((s) => s === 'expired'), {
        timeoutMs: 20_000,
        intervalMs: 100,
      });
      // A few more sweeps run; none may touch these tokens again.
      const completed = async () => (await queue.getJobCounts('completed')).completed ?? 0;
      const before = await completed();
      await pollUntil(completed, (n) => n >= before + 6, { timeoutMs: 10_000, intervalMs: 100 });
      const expired = await eventCounts('token.expired');
      expect(ids.map((id) => expired[id])).toEqual(ids.map(() => 1));
    });

    it('caches again, and hears invalidations again', async () => {
      const probe = await issue();
      // The other instance re-subscribes on its own after reconnecting; until then it does not cache.
      await pollUntil(
        async () => {
          const fresh = await issue();
          expect((await verifyOnOther(fresh.secret)).code).toBe('VALID');
          await suspendQuietly(fresh.token.id);
          return (await verifyOnOther(fresh.secret)).code;
        },
        (code) => code === 'VALID',
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect((await verifyOnOther(probe.secret)).code).toBe('VALID');
      expect((await tenant.owner.post(`/v1/tokens/${probe.token.id}/revoke`, { reason: 'after' })).status).toBe(200);
      expect((await verifyOnOther(probe.secret)).code).toBe('REVOKED');
    });
  });

  describe('shutting down while Redis is down', () => {
    beforeAll(async () => {
      await redis.stop();
    });

    it('lets the api and the worker stop promptly and cleanly', async () => {
      const [apiStop, workerStop] = await Promise.all([timed(() => stopWithin(other)), timed(() => stopWithin(worker))]);
      // Nest re-raises the signal after a clean shutdown; anything else (a crash, a forced kill) is not clean.
      const outcomes = [
        { name: 'api', ...apiStop, output: other.output() },
        { name: 'worker', ...workerStop, output: worker.output() },
      ];
      for (const { name, value, ms, output } of outcomes) {
        if (value !== 0 && value !== 'SIGTERM') throw new Error(`${name} stopped with ${value} after ${ms} ms:\n${output.slice(-4000)}`);
        expect([name, ms < 10_000]).toEqual([name, true]);
      }
    }, 30_000);
  });
});
