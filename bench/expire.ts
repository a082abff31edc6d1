/**
 * Expiring due tokens at scale: the worker's expiry sweep (each token marked expired, each with its
 * `token.expired` audit event, written in the same transaction, then sealed into the tenant's hash
 * chain) against the least the database must do for the same outcome, measured in the same run: one
 * raw `UPDATE` of the rows plus one raw multi-row `INSERT … SELECT` of as many audit rows.
 *
 * Each contender gets an identical copy of the seeded database (CREATE DATABASE … TEMPLATE). Redis
 * memory is sampled while the workers run: sweeps are periodic jobs over due dates, so it must stay
 * flat however many tokens are due.
 *
 *   npm run bench:expire                     1,000,000 tokens over 20 tenants
 *   BENCH_TOKENS=100000 npm run bench:expire a quicker look
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { adminUrl, appUrl, withAdminClient, withPgClient, type AppLogin } from '@custos/testing';
import { createBenchDatabase } from './lib/bench-database';
import { REPO_ROOT, RESULTS_DIR } from './lib/paths';
import { round } from './lib/stats';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1_000_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
/**
 * `issue` (default): tokens were issued over 60 days with a 30-day lifetime, so they fell due in the
 * order they were written, as a steady stream of issues does. `random`: due dates scattered with no
 * relation to the order of the rows, the worst case for the sweep's index-ordered claims.
 */
const ORDER = process.env.BENCH_EXPIRY_ORDER === 'random' ? 'random' : 'issue';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_MAIN = join(REPO_ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');
const say = (line: string): void => void process.stdout.write(`${line}\n`);

async function seed(ownerUrl: string): Promise<void> {
  await withPgClient(ownerUrl, async (db) => {
    await db.query(`INSERT INTO tenants (id, name) SELECT 'ten_bench_' || i, 'Bench ' || i FROM generate_series(1, $1) i`, [TENANTS]);
    await db.query(`INSERT INTO tenant_policies (tenant_id) SELECT id FROM tenants`);
    await db.query(
      `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4,
                           scopes, status, created_at, expires_at, root_id)
       SELECT 'ten_bench_' || (1 + i % $2), 'tok_' || lpad(i::text, 12, '0'), 'bench ' || i, 'live', 'api',
              'lk' || lpad(i::text, 10, '0'), md5(i::text), 'p1', 'abcd', '{orders:read}', 'active',
              issued, CASE WHEN $3 = 'random' THEN now() - interval '1 minute' * (1 + i % 1000) ELSE issued + interval '30 days' END,
              'tok_' || lpad(i::text, 12, '0')
         FROM generate_series(1, $1) i,
              LATERAL (SELECT now() - interval '60 days' + interval '30 days' * i / ($1 + 1) AS issued) t`,
      [TOKENS, TENANTS, ORDER],
    );
    await db.query('VACUUM ANALYZE tokens');
  });
}

async function copyOf(template: string, label: string): Promise<string> {
  const name = `${template}_${label}`;
  await withAdminClient('postgres', (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return name;
}

async function settle(): Promise<void> {
  await withAdminClient('postgres', (c) => c.query('CHECKPOINT'));
}

async function dropDatabase(name: string): Promise<void> {
  await withAdminClient('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * The floor: the same rows changed and as many audit rows written, in two statements. The audit rows
 * are as wide as the sweep's (sequence number, previous hash, hash), only not computed: the floor
 * writes the same bytes without any of the work.
 */
async function raw(name: string): Promise<number> {
  return withPgClient(adminUrl(name), async (db) => {
    const started = process.hrtime.bigint();
    await db.query('BEGIN');
    await db.query(`UPDATE tokens SET status = 'expired', updated_at = now() WHERE status IN ('active', 'suspended') AND expires_at <= now()`);
    await db.query(
      `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, target_type, target_id, data, seq, prev_hash, hash)
       SELECT tenant_id, now(), 'token.expired', 'system', 'token', id, '{"from":"active"}'::jsonb,
              row_number() OVER (), encode(sha256(('p' || id)::bytea), 'hex'), encode(sha256(id::bytea), 'hex')
         FROM tokens`,
    );
    await db.query('COMMIT');
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
}

interface SweepResult {
  expiredMs: number;
  sealedMs: number;
  redisPeakDeltaBytes: number;
}

/** Cheap probes while the workers run: the bench must not compete with them for the two cores. */
async function progress(name: string): Promise<{ due: boolean; unsealed: boolean }> {
  return withPgClient(adminUrl(name), async (db) => {
    const r = await db.query<{ due: boolean; unsealed: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM tokens WHERE status IN ('active', 'suspended') AND expires_at <= now()) AS due,
              EXISTS (SELECT 1 FROM audit_events WHERE seq IS NULL) AS unsealed`,
    );
    return r.rows[0]!;
  });
}

/** After the run: every token expired once, with exactly one event each. */
async function check(name: string): Promise<void> {
  await withPgClient(adminUrl(name), async (db) => {
    const r = await db.query<{ expired: string; events: string; distinct_targets: string; others: string }>(
      `SELECT (SELECT count(*) FROM tokens WHERE status = 'expired') AS expired,
              count(*) FILTER (WHERE action = 'token.expired') AS events,
              count(DISTINCT target_id) FILTER (WHERE action = 'token.expired') AS distinct_targets,
              count(*) FILTER (WHERE action <> 'token.expired') AS others
         FROM audit_events`,
    );
    const { expired, events, distinct_targets: targets, others } = r.rows[0]!;
    if (Number(expired) !== TOKENS || Number(events) !== TOKENS || Number(targets) !== TOKENS || Number(others) !== 0) {
      throw new Error(
        `expected ${TOKENS} expired tokens with one event each and nothing else; ` +
          `got ${expired} expired, ${events} events for ${targets} tokens, ${others} other events`,
      );
    }
  });
}

function startWorker(name: string, login: AppLogin, prefix: string): ChildProcess {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: appUrl(name, login),
      REDIS_URL,
      CUSTOS_QUEUE_PREFIX: prefix,
      CUSTOS_TOKEN_PEPPER: randomBytes(32).toString('base64url'),
      CUSTOS_MASTER_KEY: randomBytes(32).toString('base64url'),
      CUSTOS_SWEEP_INTERVAL_MS: '200',
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '1000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** The workers, from start to: every token expired with its event committed; every event sealed. */
async function sweep(name: string, login: AppLogin, workers: number): Promise<SweepResult> {
  const prefix = `{custos-bench-${randomBytes(3).toString('hex')}}`;
  const redis = new Redis(REDIS_URL);
  const memory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  const baseline = await memory();
  let peak = baseline;
  const started = Date.now();
  const children = Array.from({ length: workers }, () => startWorker(name, login, prefix));
  let expiredMs = 0;
  try {
    for (;;) {
      peak = Math.max(peak, await memory());
      const c = await progress(name);
      if (!expiredMs && !c.due) expiredMs = Date.now() - started;
      if (expiredMs && !c.unsealed) break;
      if (Date.now() - started > 30 * 60_000) throw new Error(`timed out: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const sealedMs = Date.now() - started;
    await check(name);
    return { expiredMs, sealedMs, redisPeakDeltaBytes: peak - baseline };
  } finally {
    await Promise.all(children.map((child) => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); })));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

async function main(): Promise<void> {
  const template = await createBenchDatabase();
  const copies: string[] = [];
  try {
    say(`seeding ${TOKENS.toLocaleString('en')} due tokens over ${TENANTS} tenants (expiry order: ${ORDER})…`);
    await seed(template.ownerUrl);
    // A template must have no other sessions while it is copied.
    for (const label of ['raw', 'w1', 'w2']) copies.push(await copyOf(template.name, label));
    const [rawDb, oneDb, twoDb] = copies as [string, string, string];

    await settle();
    const rawMs = await raw(rawDb);
    // Each contender starts on a quiet server: the previous one's copy (and its autovacuum) gone, its
    // dirty pages written.
    await dropDatabase(rawDb);
    await settle();
    say(`raw UPDATE + INSERT: ${round(rawMs / 1000)} s`);
    const one = await sweep(oneDb, template.login, 1);
    await dropDatabase(oneDb);
    await settle();
    say(`1 worker: expired in ${round(one.expiredMs / 1000)} s (${round(one.expiredMs / rawMs)}× raw), sealed in ${round(one.sealedMs / 1000)} s; Redis +${round(one.redisPeakDeltaBytes / 1024)} KiB at peak`);
    const two = await sweep(twoDb, template.login, 2);
    say(`2 workers: expired in ${round(two.expiredMs / 1000)} s (${round(two.expiredMs / rawMs)}× raw), sealed in ${round(two.sealedMs / 1000)} s; Redis +${round(two.redisPeakDeltaBytes / 1024)} KiB at peak`);

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `expire-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ tokens: TOKENS, tenants: TENANTS, expiryOrder: ORDER, rawMs, oneWorker: one, twoWorkers: two }, null, 2));
    say(`results: ${file}`);
  } finally {
    for (const name of copies) await dropDatabase(name);
    await template.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
