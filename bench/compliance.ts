import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GENESIS_HASH, chainHash } from '@custos/domain';
import { ApiClient, serviceKey, signupTenant, withPgClient } from '@custos/testing';
import { benchSecrets, startBenchApi, startBenchWorker } from './lib/bench-api';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { REPO_ROOT, RESULTS_DIR } from './lib/paths';
import { stopAll } from './lib/processes';
import { round } from './lib/stats';

/**
 * `npm run bench:compliance` (issue 6): a tenant with 100,000 tokens (BENCH_TOKENS) and 1,000,000
 * audit events (BENCH_EVENTS, a valid hash chain). Reported: for each report format, the time from
 * `POST /v1/reports` to `done` and the worker's peak RSS while it generated; the time to export the
 * audit bundle of all events; the time `custos audit verify` takes on it (on its default threads, one
 * per CPU, and on one thread) against a bare SHA-256 loop over the same bytes (one digest per line,
 * in a fresh node process like the CLI), target ≤ 3×. A second, tighter loop (the file read in 4 MiB
 * chunks, one-shot hashing, as the CLI itself reads and hashes) is reported beside it.
 */
const TOKENS = Number(process.env.BENCH_TOKENS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const CHUNK = 10_000;
const CLI_MAIN = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const OUT_DIR = join(RESULTS_DIR, 'compliance');
const log = (line: string): void => void process.stdout.write(`${line}\n`);
let database: BenchDatabase | undefined;
let workerProcess: ChildProcess | undefined;

async function seedTokens(ownerUrl: string, tenantId: string): Promise<void> {
  await withPgClient(ownerUrl, (db) =>
    db.query(
      `INSERT INTO tokens (tenant_id, id, name, environment, created_via, lookup_id, secret_hash, pepper_id, last4, scopes,
                           status, created_at, expires_at, revoked_at, revoked_by, revoked_reason, root_id, data_categories)
       SELECT $2, id, 'service ' || i, 'live', 'api', substr(md5(id), 1, 12), md5('s' || id), 'bench1', 'abcd',
              ARRAY[(ARRAY['orders:read', 'orders:write', 'admin'])[1 + i % 3]],
              CASE WHEN i % 10 = 0 THEN 'revoked' ELSE 'active' END, now() - interval '1 day' * (i % 80),
              now() + interval '1 day' * (1 + i % 60), CASE WHEN i % 10 = 0 THEN now() END,
              CASE WHEN i % 10 = 0 THEN 'usr_bench' END, CASE WHEN i % 20 = 0 THEN 'rotated away' END, id,
              CASE WHEN i % 7 = 0 THEN '{personal}'::text[] ELSE '{}' END
         FROM generate_series(1, $1) i, LATERAL (SELECT 'tok_bench' || lpad(i::text, 10, '0') AS id) t`,
      [TOKENS, tenantId],
    ),
  );
}

/** Events continuing the tenant's chain from its current head, hashed as the sealer would. */
async function seedEvents(ownerUrl: string, tenantId: string): Promise<void> {
  await withPgClient(ownerUrl, async (db) => {
    const head = (await db.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_heads WHERE tenant_id = $1`, [tenantId])).rows[0];
    let seq = Number(head?.seq ?? 0);
    let hash = head?.hash ?? GENESIS_HASH;
    const base = Date.now() - 3600_000;
    for (let done = 0; done < EVENTS; done += CHUNK) {
      const n = Math.min(CHUNK, EVENTS - done);
      const cols = { at: [] as string[], action: [] as string[], target: [] as string[], data: [] as string[], seq: [] as number[], prev: [] as string[], hash: [] as string[] };
      for (let i = 0; i < n; i++) {
        seq += 1;
        const occurredAt = new Date(base + Math.floor(((done + i) / EVENTS) * 3500_000)).toISOString();
        const target = `tok_bench${String(1 + ((done + i) % TOKENS)).padStart(10, '0')}`;
        const data = { reason: 'bench', from: 'active' };
        const next = chainHash(hash, {
          tenantId, seq, occurredAt, action: 'token.revoked', actorType: 'system', actorId: null,
          targetType: 'token', targetId: target, requestId: null, data,
        });
        cols.at.push(occurredAt); cols.action.push('token.revoked'); cols.target.push(target); cols.data.push(JSON.stringify(data));
        cols.seq.push(seq); cols.prev.push(hash); cols.hash.push(next);
        hash = next;
      }
      await db.query(
        `INSERT INTO audit_events (tenant_id, occurred_at, action, actor_type, target_type, target_id, data, seq, prev_hash, hash)
         SELECT $1, e.at, e.action, 'system', 'token', e.target, e.data, e.seq, e.prev, e.hash
           FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::jsonb[], $6::bigint[], $7::text[], $8::text[])
             AS e(at, action, target, data, seq, prev, hash)`,
        [tenantId, cols.at, cols.action, cols.target, cols.data, cols.seq, cols.prev, cols.hash],
      );
    }
    await db.query(`UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1`, [tenantId, seq, hash]);
    await db.query('VACUUM ANALYZE tokens');
    await db.query('VACUUM ANALYZE audit_events');
  });
}

/** Peak resident set of a process while `work` runs, sampled every 50 ms from /proc. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = 0;
  const sample = () => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) peak = Math.max(peak, Number(match[1]));
  };
  sample();
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, peakMiB: round(peak / 1024, 1) };
  } finally {
    clearInterval(timer);
  }
}

async function timedNode(args: string[]): Promise<{ ms: number; output: string; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, output: output.trim(), code }));
  });
}

/** The baseline: read the same file line by line and SHA-256 each line, nothing else. */
const SHA_LOOP = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
const { createHash } = require('node:crypto');
(async () => {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) {
    createHash('sha256').update(line).digest('hex');
    n++;
  }
  console.log('lines', n);
})();`;

/** The tighter baseline: the CLI's own way of reading lines and hashing, and nothing else. */
const SHA_LOOP_CHUNKED = `
const { openSync, readSync } = require('node:fs');
const { hash } = require('node:crypto');
const { StringDecoder } = require('node:string_decoder');
const fd = openSync(process.argv[1], 'r');
const decoder = new StringDecoder('utf8');
const block = Buffer.allocUnsafe(4 << 20);
let rest = '';
let n = 0;
for (let read; (read = readSync(fd, block, 0, block.length, null)) > 0; ) {
  const text = rest + decoder.write(block.subarray(0, read));
  let start = 0;
  for (let end = text.indexOf('\\n'); end !== -1; end = text.indexOf('\\n', start)) {
    hash('sha256', text.slice(start, end), 'hex');
    n++;
    start = end + 1;
  }
  rest = text.slice(start);
}
if (rest) n++;
console.log('lines', n);`;

async function main(): Promise<number> {
  const db = await createBenchDatabase();
  database = db;
  const secrets = benchSecrets();
  const queuePrefix = `{custosbench${Date.now()}}`;
  const api = await startBenchApi(db, 'api', secrets, { CUSTOS_QUEUE_PREFIX: queuePrefix });
  const worker = startBenchWorker(db, secrets, { CUSTOS_QUEUE_PREFIX: queuePrefix, CUSTOS_CHECKPOINT_INTERVAL_MS: '0', CUSTOS_CHECKPOINT_EVERY_EVENTS: '0' });
  workerProcess = worker;
  const tenant = await signupTenant(new ApiClient(api.url), 'Compliance Bench');
  const key = await serviceKey(tenant, ['custos:reports:read', 'custos:reports:write', 'custos:audit:read', 'custos:audit:checkpoint']);
  const client = new ApiClient(api.url, key.client.auth);
  await new Promise((r) => setTimeout(r, 500)); // the signup's events are sealed right after commit
  let started = performance.now();
  await seedTokens(db.ownerUrl, tenant.tenantId);
  await seedEvents(db.ownerUrl, tenant.tenantId);
  log(`seeded ${TOKENS.toLocaleString()} tokens and ${EVENTS.toLocaleString()} chained audit events in ${round((performance.now() - started) / 1000, 1)} s`);
  const checkpoint = await client.post('/v1/audit-events/checkpoints', {});
  if (checkpoint.status !== 201) throw new Error(`checkpoint: ${checkpoint.status} ${JSON.stringify(checkpoint.body)}`);

  const from = new Date(Date.now() - 2 * 86400_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();
  const reports: Record<string, { seconds: number; peakRssMiB: number; sizeBytes: number | null; summary: unknown }> = {};
  mkdirSync(OUT_DIR, { recursive: true });
  for (const format of ['json', 'csv', 'pdf'] as const) {
    const { result, peakMiB } = await peakRss(worker.pid!, async () => {
      const t0 = performance.now();
      const res = await client.post<{ id: string }>('/v1/reports', { framework: 'soc2', from, to, format });
      if (res.status !== 202) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
      for (;;) {
        const report = await client.get<{ status: string; sizeBytes: number | null; summary: unknown; error: string | null }>(`/v1/reports/${res.body.id}`);
        if (report.body.status === 'done') return { seconds: (performance.now() - t0) / 1000, report: report.body };
        if (report.body.status === 'failed') throw new Error(`report failed: ${report.body.error}`);
        if (performance.now() - t0 > 600_000) throw new Error('report not done in 10 minutes');
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    reports[format] = { seconds: round(result.seconds, 2), peakRssMiB: peakMiB, sizeBytes: result.report.sizeBytes, summary: result.report.summary };
    log(`report soc2 ${format}: ${round(result.seconds, 2)} s, worker peak RSS ${peakMiB} MiB, ${result.report.sizeBytes} bytes`);
  }

  const bundle = join(OUT_DIR, 'bundle.jsonl');
  started = performance.now();
  const exported = await fetch(`${api.url}/v1/audit-events/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
    headers: { authorization: `Bearer ${key.issued.secret}` },
  });
  if (exported.status !== 200 || !exported.body) throw new Error(`export: ${exported.status}`);
  await pipeline(Readable.fromWeb(exported.body as import('node:stream/web').ReadableStream), createWriteStream(bundle));
  const exportSeconds = (performance.now() - started) / 1000;
  log(`audit bundle: ${round(statSync(bundle).size / 1024 / 1024, 1)} MiB exported in ${round(exportSeconds, 1)} s`);

  const verify = await timedNode([CLI_MAIN, 'audit', 'verify', bundle]);
  const verifyOneThread = await timedNode([CLI_MAIN, 'audit', 'verify', bundle, '--threads', '1']);
  const baseline = await timedNode(['-e', SHA_LOOP, bundle]);
  const tighter = await timedNode(['-e', SHA_LOOP_CHUNKED, bundle]);
  for (const run of [verify, verifyOneThread]) {
    if (run.code !== 0 || !run.output.startsWith('OK')) throw new Error(`custos audit verify failed: ${run.output}`);
  }
  const threads = availableParallelism();
  const ratio = verify.ms / baseline.ms;
  const s = (ms: number): number => round(ms / 1000, 2);
  log(`custos audit verify (${Math.min(threads, 8)} threads): ${s(verify.ms)} s (${verify.output}); on 1 thread: ${s(verifyOneThread.ms)} s`);
  log(`bare SHA-256 per line: ${s(baseline.ms)} s (${baseline.output}); the tighter loop: ${s(tighter.ms)} s (${tighter.output})`);
  log(`ratio ${round(ratio, 2)} (target ≤ 3: ${ratio <= 3 ? 'met' : 'NOT met'}); on 1 thread ${round(verifyOneThread.ms / baseline.ms, 2)}; against the tighter loop ${round(verify.ms / tighter.ms, 2)} and ${round(verifyOneThread.ms / tighter.ms, 2)}`);

  writeFileSync(
    join(RESULTS_DIR, 'compliance.json'),
    `${JSON.stringify(
      {
        tokens: TOKENS,
        events: EVENTS,
        reports,
        exportSeconds: round(exportSeconds, 2),
        cpus: threads,
        verifySeconds: s(verify.ms),
        verifyOneThreadSeconds: s(verifyOneThread.ms),
        shaLoopSeconds: s(baseline.ms),
        tighterLoopSeconds: s(tighter.ms),
        ratio: round(ratio, 2),
        ratioOneThread: round(verifyOneThread.ms / baseline.ms, 2),
        ratioTighter: round(verify.ms / tighter.ms, 2),
        ratioOneThreadTighter: round(verifyOneThread.ms / tighter.ms, 2),
      },
      null,
      2,
    )}\n`,
  );
  return 0;
}

void main()
  .then(
    (code) => code,
    (error: unknown) => {
      log(`compliance bench failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    workerProcess?.kill('SIGTERM');
    await stopAll();
    await database?.drop();
    process.exit(code);
  });
