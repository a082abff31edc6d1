import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, signupTenant, withPgClient } from '@custos/testing';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { benchSecrets, startBenchApi } from './lib/bench-api';
import { RESULTS_DIR } from './lib/paths';
import { stopAll } from './lib/processes';
import { median, percentile, round } from './lib/stats';

/**
 * `npm run bench:inventory`: the dashboard's reads on a tenant with many tokens. Seeds BENCH_TOKENS
 * tokens (200,000) into one tenant of a fresh database, starts the api, and times over HTTP, as the
 * dashboard's owner session, each request the inventory and overview pages make: the first page in
 * every sort, a page 10,000 rows deep, search by lookup id and by name prefix, a filtered view and the
 * overview. Target: each well within 50 ms, and the deep page as fast as the first.
 */
const TOKENS = Number(process.env.BENCH_TOKENS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const log = (line: string): void => void process.stdout.write(`${line}\n`);
let database: BenchDatabase | undefined;

async function seed(ownerUrl: string, tenantId: string): Promise<void> {
  await withPgClient(ownerUrl, async (db) => {
    // Created over 90 days; lifetimes of 1 to 120 days; a third never used; names share a few prefixes.
    await db.query(
      `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4,
                           scopes, status, created_at, expires_at, last_used_at, revoked_at, root_id)
       SELECT $2, 'tok_bench' || lpad(i::text, 10, '0'),
              (ARRAY['orders', 'billing', 'search', 'payments', 'reports'])[1 + i % 5] || ' service ' || i,
              CASE WHEN i % 10 = 0 THEN 'test' ELSE 'live' END, 'api',
              substr(md5(i::text), 1, 12), md5('s' || i), 'p1', 'abcd',
              ARRAY[(ARRAY['orders:read', 'orders:write', 'billing:read'])[1 + i % 3]],
              CASE WHEN i % 20 = 0 THEN 'revoked' WHEN i % 33 = 0 THEN 'suspended' ELSE 'active' END,
              created, created + interval '1 day' * (1 + i % 120),
              CASE WHEN i % 3 = 0 THEN NULL ELSE created + interval '1 minute' * (i % 100000) END,
              CASE WHEN i % 20 = 0 THEN created + interval '1 hour' END,
              'tok_bench' || lpad(i::text, 10, '0')
         FROM generate_series(1, $1) i,
              LATERAL (SELECT now() - interval '90 days' + interval '90 days' * i / ($1 + 1) AS created) t`,
      [TOKENS, tenantId],
    );
    await db.query('VACUUM ANALYZE tokens');
  });
}

interface Figure {
  name: string;
  medianMs: number;
  p95Ms: number;
  rows: number;
}

async function time(client: ApiClient, name: string, path: string): Promise<Figure> {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS + 3; i++) {
    const started = performance.now();
    const res = await client.get<{ items?: unknown[] }>(path);
    const elapsed = performance.now() - started;
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    rows = res.body.items?.length ?? 1;
    if (i >= 3) samples.push(elapsed); // the first few warm the caches and the query plans
  }
  return { name, medianMs: round(median(samples), 1), p95Ms: round(percentile(samples, 95), 1), rows };
}

async function deepCursor(client: ApiClient, depth: number): Promise<string> {
  let cursor = '';
  for (let seen = 0; seen < depth; seen += 200) {
    const res = await client.get<{ nextCursor: string }>(`/v1/inventory?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    cursor = res.body.nextCursor;
  }
  return cursor;
}

async function main(): Promise<number> {
  const db = await createBenchDatabase();
  database = db;
  const api = await startBenchApi(db, 'api', benchSecrets(), { CUSTOS_COOKIE_SECURE: 'false' });
  const tenant = await signupTenant(new ApiClient(api.url), 'Inventory Bench');
  const seeding = performance.now();
  await seed(db.ownerUrl, tenant.tenantId);
  log(`seeded ${TOKENS.toLocaleString()} tokens in one tenant in ${round((performance.now() - seeding) / 1000, 1)} s`);

  const owner = tenant.owner;
  const deep = await deepCursor(owner, 10_000);
  const lookup = (await withPgClient(db.ownerUrl, (c) => c.query<{ lookup_id: string }>(`SELECT lookup_id FROM tokens WHERE id = 'tok_bench0000123457'`))).rows[0]!.lookup_id;
  const figures = [
    await time(owner, 'first page, newest first', '/v1/inventory?limit=50'),
    await time(owner, 'page 10,000 rows deep', `/v1/inventory?limit=50&cursor=${encodeURIComponent(deep)}`),
    await time(owner, 'first page, expiring soonest', '/v1/inventory?limit=50&sort=expiresAt&order=asc'),
    await time(owner, 'first page, least recently used', '/v1/inventory?limit=50&sort=lastUsedAt&order=asc'),
    await time(owner, 'first page, recently used', '/v1/inventory?limit=50&sort=lastUsedAt&order=desc'),
    await time(owner, 'search by lookup id (10 chars)', `/v1/inventory?limit=50&q=${lookup.slice(0, 10)}`),
    await time(owner, 'search by name prefix', '/v1/inventory?limit=50&q=payments%20service%2012345'),
    await time(owner, 'active + test env, expiring soonest', '/v1/inventory?limit=50&status=active&environment=test&sort=expiresAt&order=asc'),
    await time(owner, 'overview', '/v1/overview'),
  ];
  log(`\n${TOKENS.toLocaleString()} tokens in the tenant; ${RUNS} timed requests each, over HTTP on loopback`);
  log('request                                  median ms   p95 ms   rows');
  for (const f of figures) log(`${f.name.padEnd(40)} ${String(f.medianMs).padStart(9)} ${String(f.p95Ms).padStart(8)} ${String(f.rows).padStart(6)}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `inventory-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ tokens: TOKENS, runs: RUNS, figures }, null, 2));
  log(`\nwritten to ${file}`);
  return 0;
}

void main()
  .then(
    (code) => code,
    (error: unknown) => {
      log(`inventory bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    // BENCH_KEEP_DB=1 leaves the seeded database for EXPLAIN ANALYZE by hand.
    if (process.env.BENCH_KEEP_DB === '1') log(`kept database ${database?.name ?? '(none)'}`);
    else await database?.drop();
    process.exit(code);
  });
