import { randomBytes } from 'node:crypto';
import { QUEUES, RedisKeys } from '@custos/contracts';
import {
  ApiClient,
  asOwner,
  pollUntil,
  signupTenant,
  startWorker,
  verifyAuditChain,
  type RunningProcess,
  type TestTenant,
} from '@custos/testing';
import { Queue } from 'bullmq';

const TOKENS_PER_TENANT = 20_000;

// @runsAlone: it starts a worker on the run's database, whose sweeps act on every tenant in it (npm test runs it after the rest, by itself).
/**
 * A worker killed (SIGKILL) in the middle of expiring many due tokens loses no work and does none
 * twice: its open batch rolls back, a new worker picks up what is left, and every due token ends
 * expired with exactly one token.expired event, in an unbroken audit chain.
 */
describe('a worker killed in the middle of a sweep', () => {
  const prefix = `{custos-crash-${randomBytes(4).toString('hex')}}`;
  const workerEnv = { CUSTOS_QUEUE_PREFIX: prefix, CUSTOS_SWEEP_INTERVAL_MS: '200', CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200' };
  const workers: RunningProcess[] = [];
  let tenants: TestTenant[] = [];
  const total = () => tenants.length * TOKENS_PER_TENANT;

  beforeAll(async () => {
    const api = ApiClient.fromEnv();
    tenants = [await signupTenant(api, 'Crash A'), await signupTenant(api, 'Crash B')];
    // Due tokens straight into the table: what a backlog looks like after the worker was away a while.
    await asOwner(async (db) => {
      for (const { tenantId } of tenants) {
        const tag = randomBytes(6).toString('hex');
        await db.query(
          `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4,
                               status, expires_at, root_id)
           SELECT $1, 'tok_crash_' || $2 || '_' || g, 'crash', 'live', 'api', 'crash' || $2 || lpad(g::text, 8, '0'),
                  'ab', 'p1', 'abcd', CASE WHEN g % 10 = 0 THEN 'suspended' ELSE 'active' END,
                  now() - interval '1 hour' + g * interval '1 millisecond', 'tok_crash_' || $2 || '_' || g
             FROM generate_series(1, $3::int) AS g`,
          [tenantId, tag, TOKENS_PER_TENANT],
        );
      }
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop('SIGKILL')));
    const queue = new Queue(QUEUES.maintenance, { connection: { url: process.env.REDIS_URL! }, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    // The killed worker never took its heartbeat back.
    await (await queue.getBackend().client).del(new RedisKeys(prefix).workerHeartbeat);
    await queue.close();
  });

  const tenantIds = () => tenants.map((t) => t.tenantId);
  const expiredEvents = () =>
    asOwner(async (db) =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM audit_events WHERE tenant_id = ANY($1) AND action = 'token.expired'`,
            [tenantIds()],
          )
        ).rows[0]!.n,
      ),
    );
  const stillDue = () =>
    asOwner(async (db) =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM tokens WHERE tenant_id = ANY($1) AND status IN ('active', 'suspended') AND expires_at <= now()`,
            [tenantIds()],
          )
        ).rows[0]!.n,
      ),
    );

  it('leaves every due token expired with exactly one token.expired event', async () => {
    const first = await startWorker(workerEnv);
    workers.push(first);
    // Kill it once some batches are committed and many are not.
    const seenBeforeKill = await pollUntil(expiredEvents, (n) => n > 0, { timeoutMs: 30_000, intervalMs: 10 });
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    expect(seenBeforeKill).toBeLessThan(total());
    const afterKill = await expiredEvents();
    expect(afterKill).toBeLessThan(total());

    const second = await startWorker(workerEnv);
    workers.push(second);
    await pollUntil(stillDue, (n) => n === 0, { timeoutMs: 60_000, intervalMs: 200 });
    await second.stop();

    const outcome = await asOwner(async (db) => {
      const statuses = await db.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM tokens WHERE tenant_id = ANY($1) AND id LIKE 'tok_crash_%' GROUP BY status`,
        [tenantIds()],
      );
      const events = await db.query<{ events: string; tokens: string; twice: string; strays: string }>(
        `SELECT count(*) AS events,
                count(DISTINCT e.target_id) AS tokens,
                (SELECT count(*) FROM (SELECT 1 FROM audit_events
                   WHERE tenant_id = ANY($1) AND action = 'token.expired' GROUP BY tenant_id, target_id HAVING count(*) > 1) d) AS twice,
                count(*) FILTER (WHERE t.id IS NULL OR t.status <> 'expired') AS strays
           FROM audit_events e LEFT JOIN tokens t ON t.tenant_id = e.tenant_id AND t.id = e.target_id
          WHERE e.tenant_id = ANY($1) AND e.action = 'token.expired'`,
        [tenantIds()],
      );
      return {
        statuses: Object.fromEntries(statuses.rows.map((r) => [r.status, Number(r.n)])),
        events: Object.fromEntries(Object.entries(events.rows[0]!).map(([k, v]) => [k, Number(v)])),
      };
    });
    expect(outcome.statuses).toEqual({ expired: total() });
    expect(outcome.events).toEqual({ events: total(), tokens: total(), twice: 0, strays: 0 });
  }, 120_000);

  it('leaves each tenant an unbroken audit chain', async () => {
    for (const tenant of tenants) {
      const verdict = await verifyAuditChain(tenant.owner);
      expect(verdict).toMatchObject({ valid: true });
      expect(verdict.checkedEvents).toBeGreaterThan(TOKENS_PER_TENANT);
    }
  }, 60_000);
});
