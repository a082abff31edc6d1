import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { RedisKeys } from '@custos/contracts';
import { Database } from '@custos/persistence';
import { Redis } from 'ioredis';
import { testConfig } from '@custos/testing';
import { WorkerModule } from './worker.module';

// @runsAlone: it runs the worker's sweeps in this process over every tenant of the run's database (npm test runs it after the rest, by itself).
/** The worker's seal sweep links events that were committed but never sealed (a crash after commit). */
describe('worker', () => {
  let worker: INestApplicationContext;
  const tenantId = `ten_worker_${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(`{custos-test-${randomBytes(4).toString('hex')}}`);

  beforeAll(async () => {
    const config = await testConfig({
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '200',
      CUSTOS_SWEEP_INTERVAL_MS: '200',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, keys), { logger: false });
    worker.enableShutdownHooks();
  });

  afterAll(async () => {
    await worker.close();
  });

  it('announces itself with a heartbeat while it runs', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      expect(await redis.zcard(keys.workerHeartbeat)).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it('seals committed events of every tenant into a gap-free chain', async () => {
    const db = worker.get(Database);
    await db.tenant(tenantId, async (tx) => {
      await tx.rows(`INSERT INTO tenants (id, name) VALUES ($1, 'worker test')`, [tenantId]);
      for (let i = 0; i < 3; i++) {
        await tx.rows(
          `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type) VALUES ($1, now(), 'test.event', 'system')`,
          [tenantId],
        );
      }
    });
    const deadline = Date.now() + 15_000;
    let seqs: number[] = [];
    while (Date.now() < deadline) {
      const rows = await db.tenant(tenantId, (tx) => tx.rows<{ seq: string | null }>(`SELECT seq FROM audit_events ORDER BY id`));
      seqs = rows.map((r) => (r.seq === null ? 0 : Number(r.seq)));
      if (seqs.every((s) => s > 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('expires a token on schedule, with its audit event', async () => {
    const db = worker.get(Database);
    await db.tenant(tenantId, (tx) =>
      tx.rows(
        `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4,
                             status, expires_at, root_id)
         VALUES ($1, 'tok_worker_due', 'due', 'live', 'api', $2, 'ab', 'p1', 'abcd', 'active', now() - interval '1 second', 'tok_worker_due')`,
        [tenantId, `wk${randomBytes(5).toString('hex')}`],
      ),
    );
    const deadline = Date.now() + 15_000;
    let status = 'active';
    while (status !== 'expired' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await db.tenant(tenantId, (tx) => tx.one<{ status: string }>(`SELECT status FROM tokens WHERE id = 'tok_worker_due'`)))!
        .status;
    }
    expect(status).toBe('expired');
    const events = await db.tenant(tenantId, (tx) =>
      tx.rows(`SELECT 1 FROM audit_events WHERE action = 'token.expired' AND target_id = 'tok_worker_due'`),
    );
    expect(events).toHaveLength(1);
  });
});
