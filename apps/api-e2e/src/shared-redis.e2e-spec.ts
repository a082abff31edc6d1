import { randomBytes } from 'node:crypto';
import { QUEUES, type RedisKeys } from '@custos/contracts';
import {
  ApiClient,
  createScratchDatabase,
  deleteRedisNamespace,
  defaultRedisKeys,
  issueToken,
  pollUntil,
  signupTenant,
  startApi,
  startWorker,
  type RunningApi,
  type RunningProcess,
  type ScratchDatabase,
  type TestTenant,
} from '@custos/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

interface Installation {
  db: ScratchDatabase;
  keys: RedisKeys;
  api: RunningApi;
  worker?: RunningProcess;
  tenant: TestTenant;
}

const REDIS_URL = process.env.REDIS_URL!;
const workerEnv = { CUSTOS_SWEEP_INTERVAL_MS: '200', CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two installations (two databases, migrated separately) on one Redis, neither given CUSTOS_QUEUE_PREFIX:
 * each keeps to a namespace derived from its own database, so neither's worker takes the other's jobs,
 * counts the other's heartbeats or hears the other's invalidations; and should a namespace still be
 * shared (set alike, or a copied database), a job that names a tenant its database does not know is left
 * in the queue, not consumed.
 */
describe('two installations sharing a Redis', () => {
  const installations: Installation[] = [];
  const extraWorkers: RunningProcess[] = [];
  let a: Installation;
  let b: Installation;
  const queues: Queue[] = [];
  const extraNamespaces: string[] = [];

  async function install(label: string): Promise<Installation> {
    const db = await createScratchDatabase(label);
    const api = await startApi(db.env);
    const installation: Installation = { db, keys: await defaultRedisKeys(db.name), api, tenant: await signupTenant(new ApiClient(api.url), label) };
    installations.push(installation);
    return installation;
  }

  beforeAll(async () => {
    [a, b] = await Promise.all([install('shared_a'), install('shared_b')]);
    // Only B's worker runs at first: it is the stranger that must leave A's jobs alone.
    b.worker = await startWorker({ ...b.db.env, ...workerEnv });
  }, 60_000);

  afterAll(async () => {
    for (const worker of extraWorkers) await worker.stop();
    for (const installation of installations) {
      await installation.worker?.stop();
      await installation.api.stop();
    }
    for (const queue of queues) await queue.close();
    for (const namespace of extraNamespaces) await deleteRedisNamespace(namespace);
    // Its default namespace goes with each database.
    for (const { db } of installations) await db.drop();
  });

  it('gives each installation a namespace of its own, from its database', () => {
    expect(a.keys.namespace).toMatch(/^\{custos-[0-9a-f]{12}\}$/);
    expect(b.keys.namespace).toMatch(/^\{custos-[0-9a-f]{12}\}$/);
    expect(a.keys.namespace).not.toBe(b.keys.namespace);
  });

  const workersAlive = async (installation: Installation) =>
    /^custos_workers_alive (\d+)$/m.exec(String((await new ApiClient(installation.api.url).get('/metrics')).body))?.[1];

  it("counts only its own workers: the other's heartbeats are not in its namespace", async () => {
    expect(await workersAlive(a)).toBe('0');
    expect(await workersAlive(b)).toBe('1');
  });

  it("never lets one installation's worker take the other's jobs; its own worker runs them", async () => {
    const requested = await a.tenant.owner.post<{ id: string; status: string }>('/v1/reports', {
      framework: 'soc2',
      format: 'json',
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(requested.status).toBe(202);
    // B's worker is running: a stranger sharing the queue would take the job within milliseconds (and,
    // not knowing the report, complete it without generating anything).
    await sleep(2000);

    // A's own worker finds the job where it was left and generates the report; a stolen job would leave
    // it queued until the requeue sweep, a minute later.
    a.worker = await startWorker({ ...a.db.env, ...workerEnv });
    const done = await pollUntil(
      async () => (await a.tenant.owner.get<{ status: string }>(`/v1/reports/${requested.body.id}`)).body.status,
      (status) => status === 'done' || status === 'failed',
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(done).toBe('done');
    expect(await workersAlive(a)).toBe('1');
  }, 60_000);

  it("keeps each installation's invalidations to its own api instances", async () => {
    const heard: Array<{ channel: string; message: string }> = [];
    const listener = new Redis(REDIS_URL);
    // A subscribed connection takes no other commands.
    const asker = new Redis(REDIS_URL);
    try {
      listener.on('pmessage', (_pattern: string, channel: string, message: string) => heard.push({ channel, message }));
      await listener.psubscribe('*token-invalidations*');
      const issued = await issueToken(a.tenant.owner);
      expect((await a.tenant.owner.post(`/v1/tokens/${issued.token.id}/revoke`, { reason: 'shared redis test' })).status).toBe(200);
      const published = await pollUntil(
        async () => heard.filter((h) => h.message.includes(issued.token.lookupId)),
        (found) => found.length > 0,
      );
      expect(new Set(published.map((p) => p.channel))).toEqual(new Set([a.keys.tokenInvalidationChannel]));
      // The only listener on A's channel is A's api; B's api listens on its own.
      const counts = await asker.pubsub('NUMSUB', a.keys.tokenInvalidationChannel, b.keys.tokenInvalidationChannel);
      expect(counts).toEqual([a.keys.tokenInvalidationChannel, 1, b.keys.tokenInvalidationChannel, 1]);
    } finally {
      listener.disconnect();
      asker.disconnect();
    }
  });

  it('leaves a job naming a tenant its database does not know in the queue: neither completed nor failed', async () => {
    // What a shared or copied namespace brings: B's report job before a worker of A. A worker of A on an
    // explicit namespace, so that the job reaches it whatever the default.
    const shared = `{custos-shared-${randomBytes(4).toString('hex')}}`;
    extraNamespaces.push(shared);
    const worker = await startWorker({ ...a.db.env, ...workerEnv, CUSTOS_QUEUE_PREFIX: shared });
    extraWorkers.push(worker);
    const reports = new Queue(QUEUES.reports, { connection: { url: REDIS_URL }, prefix: shared });
    queues.push(reports);
    const reportId = `rpt_stranger${randomBytes(6).toString('hex')}`;
    const job = await reports.add('reports.generate', { tenantId: b.tenant.tenantId, reportId }, { jobId: reportId, attempts: 3 });
    const state = await pollUntil(() => job.getState(), (s) => s !== 'waiting' && s !== 'active', { timeoutMs: 10_000 });
    expect(state).toBe('delayed');
    const seen = (await reports.getJob(reportId))!;
    expect({ attemptsMade: seen.attemptsMade, failedReason: seen.failedReason ?? null, finishedOn: seen.finishedOn ?? null }).toEqual({
      attemptsMade: 0,
      failedReason: null,
      finishedOn: null,
    });
    expect(worker.output()).toContain('job names a tenant this database does not know');
  });
});
