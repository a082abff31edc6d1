import { ApiClient, issueToken, serviceKey, signupTenant, withAdminClient } from '@custos/testing';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { benchSecrets, startBenchApi } from './lib/bench-api';
import { execFileSync } from 'node:child_process';
import { runLoad, type LoadResult } from './lib/load';
import { join } from 'node:path';
import { clientAddresses } from './lib/client-addresses';
import { CpuProfiler } from './lib/cpu-profile';
import { cpuSplit, pin } from './lib/cpu-pinning';
import { RESULTS_DIR } from './lib/paths';
import { backendPids, withCpu } from './lib/proc-cpu';
import { formatSummary, summarizeProfile } from './lib/profile-summary';
import { stopAll, type ChildServer } from './lib/processes';
import { median, percentile, round } from './lib/stats';

/**
 * `npm run bench:usage` (docs/benchmarks.md, issue 15 section 6), three measurements on one database:
 *
 * 1. Verify throughput with usage events, geolocation and a rate limit on ÷ with all three off: two api
 *    instances, one with CUSTOS_USAGE_EVENTS=off and CUSTOS_GEOIP_DB=off verifying a plain token, one
 *    with the defaults verifying a token with a rate limit and a monitored geofence, from a public
 *    address; loaded one at a time, in alternating order, round after round (target ≥ 0.90).
 * 2. The usage writer under a sustained verify load: every VALID answer is a stored event once the api
 *    has stopped gracefully (0 lost), and its lag, scraped every second, stays under 2 s.
 * 3. GET /v1/tokens/:id/usage and GET /v1/usage?groupBy=day for a token with 1,000,000 events over 30
 *    days: p95 of sequential requests (target < 100 ms).
 * 4. A crash: an api killed (SIGKILL) in the middle of a verify load loses at most what it held, about
 *    one flush interval of events (CUSTOS_USAGE_FLUSH_INTERVAL_MS, 500 ms by default).
 */
const env = process.env;
const int = (name: string, fallback: number): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const settings = {
  connections: int('BENCH_CONNECTIONS', 50),
  /** A profiled run (BENCH_CPU_PROF=1). */
  durationSeconds: int('BENCH_DURATION_S', 10),
  /**
   * Short runs, many rounds: a shared machine slows down and speeds up over tens of seconds, and runs of
   * three configurations a few seconds apart see the same machine (the per-round ratios stay put while
   * the req/s of a round swing by a quarter).
   */
  ratioSeconds: int('BENCH_RATIO_S', 3),
  rounds: int('BENCH_ROUNDS', 21),
  writerSeconds: int('BENCH_WRITER_S', 60),
  seededEvents: int('BENCH_USAGE_EVENTS', 1_000_000),
  queries: int('BENCH_USAGE_QUERIES', 200),
  clients: int('BENCH_CLIENTS', 1000),
};
const phases = new Set((env.BENCH_PHASES ?? 'ratio,writer,queries,crash').split(',').map((p) => p.trim()));
const log = (line: string): void => void process.stdout.write(`${line}\n`);
let database: BenchDatabase | undefined;

interface Verifier {
  api: ChildServer;
  bearer: string;
  bodies: string[];
}

/** The local redis-server(s), whose CPU a rate-limited verify also costs. */
function redisPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'redis-server'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The api under test on its CPU, this process (the load generator), Redis and Postgres's backends on the rest. */
async function isolate(db: BenchDatabase, api: ChildServer, split: ReturnType<typeof cpuSplit>): Promise<void> {
  if (!split) return;
  pin([api.pid], split.server);
  pin([process.pid, ...redisPids(), ...(await backendPids(db.ownerUrl))], split.rest);
}

function verifyLoad(target: Verifier, durationSeconds: number): Promise<LoadResult> {
  return runLoad({
    url: `${target.api.url}/v1/verify`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.bearer}` },
    bodies: target.bodies,
    connections: settings.connections,
    pipelining: 1,
    durationSeconds,
    maxSeconds: durationSeconds + 30,
  });
}

/**
 * Rounds of back-to-back runs, in an order rotated each round so that drift of a shared machine falls on
 * each alike: all off, then usage events and geolocation on (a plain token), then all three on (a token
 * with a rate limit and a monitored geofence). The headline is the median of the per-round ratios.
 */
/**
 * Rounds of back-to-back runs, in an order rotated each round so that drift of a shared machine falls on
 * each alike: all off, then usage events and geolocation on (a plain token), then all three on (a token
 * with a rate limit and a monitored geofence). Two ratios: req/s, the headline, and CPU per request of
 * the api, its Postgres backends and Redis together, which a busy machine disturbs far less (on a
 * saturated machine throughput is the inverse of it).
 */
async function measureRatio(db: BenchDatabase, off: Verifier, eventsAndGeo: Verifier, all: Verifier): Promise<void> {
  const targets: Array<[string, Verifier]> = [['all off', off], ['events + geo', eventsAndGeo], ['all on', all]];
  const split = cpuSplit();
  log(split ? `api under test on CPU ${split.server}; the load generator, Postgres and Redis on CPU ${split.rest} (BENCH_PIN=0: all share every CPU)` : 'no CPU pinning: every process shares every CPU');
  // Warm each (JIT, caches, connection pools) before anything counts.
  for (const [, target] of targets) await verifyLoad(target, 3);
  const rps = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  const cpu = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  const apiCpu = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  const loadCpu = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  // Share of one CPU the api (and Redis) used: near 1 means the api, not the load generator, set the pace.
  const busy = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  const ratios = { eventsAndGeo: [] as number[], all: [] as number[] };
  for (let r = 0; r < settings.rounds; r++) {
    const order = [...targets.slice(r % 3), ...targets.slice(0, r % 3)];
    const measured = new Map<string, number>();
    for (const [name, target] of order) {
      await isolate(db, target.api, split);
      const { result, cpu: perOp } = await withCpu(
        async () => ({ server: [target.api.pid, ...redisPids()], postgres: await backendPids(db.ownerUrl) }),
        () => verifyLoad(target, settings.ratioSeconds),
        (res) => res.ok,
      );
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      measured.set(name, result.rps);
      rps.get(name)!.push(result.rps);
      cpu.get(name)!.push(perOp.serverUs + perOp.postgresUs);
      apiCpu.get(name)!.push(perOp.serverUs);
      loadCpu.get(name)!.push(perOp.clientUs);
      busy.get(name)!.push((perOp.serverUs * result.ok) / (result.seconds * 1e6));
    }
    ratios.eventsAndGeo.push(measured.get('events + geo')! / measured.get('all off')!);
    ratios.all.push(measured.get('all on')! / measured.get('all off')!);
    log(`round ${r + 1}: ${targets.map(([name]) => `${name} ${round(measured.get(name)!, 0)} req/s`).join(', ')}; all on ÷ all off ${round(ratios.all[r]!, 3)}`);
  }
  const ratio = median(ratios.all);
  const cpuOf = (name: string) => median(cpu.get(name)!);
  log(`verify req/s, usage events + geolocation + rate limit on ÷ all off: ${round(ratio, 3)} (median of ${settings.rounds} rounds, from ${round(Math.min(...ratios.all), 3)} to ${round(Math.max(...ratios.all), 3)}; target ≥ 0.90: ${ratio >= 0.9 ? 'met' : 'NOT met'})`);
  log(`  usage events + geolocation alone ÷ all off: ${round(median(ratios.eventsAndGeo), 3)}`);
  log(`  medians: ${targets.map(([name]) => `${name} ${round(median(rps.get(name)!), 0)} req/s`).join(', ')}`);
  log(
    `  CPU per verify (api + Postgres + Redis), medians: ${targets.map(([name]) => `${name} ${round(cpuOf(name), 0)} µs (api and Redis ${round(median(apiCpu.get(name)!), 0)})`).join(', ')}; all off ÷ all on ${round(cpuOf('all off') / cpuOf('all on'), 3)}, all off ÷ events + geo ${round(cpuOf('all off') / cpuOf('events + geo'), 3)}`,
  );
  log(`  the load generator's CPU per verify (this process, autocannon), medians: ${targets.map(([name]) => `${name} ${round(median(loadCpu.get(name)!), 0)} µs`).join(', ')}`);
  log(`  CPUs the api and Redis kept busy, medians: ${targets.map(([name]) => `${name} ${round(median(busy.get(name)!), 2)}`).join(', ')}`);
}

async function measureWriter(db: BenchDatabase, on: Verifier, tokenId: string): Promise<void> {
  const lags: number[] = [];
  const scraper = setInterval(() => {
    void new ApiClient(on.api.url)
      .get('/metrics')
      .then((res) => {
        const lag = /^custos_usage_writer_lag_seconds (\S+)$/m.exec(String(res.body))?.[1];
        if (lag !== undefined) lags.push(Number(lag));
      })
      .catch(() => undefined);
  }, 1000);
  const validBefore = await validAnswers(on.api);
  const result = await verifyLoad(on, settings.writerSeconds);
  clearInterval(scraper);
  // The server's own count: the load tool does not count answers still in flight when it stops.
  const answered = (await validAnswers(on.api)) - validBefore;
  const exit = await on.api.stop(30_000);
  const written = await eventsOf(db, tokenId);
  const maxLag = lags.length > 0 ? Math.max(...lags) : Number.NaN;
  log(
    `writer over ${settings.writerSeconds} s of verify load at ${round(result.rps, 0)} req/s: ${answered} VALID answers, ${written} events written after a graceful stop (${answered - written} lost; target 0: ${answered === written ? 'met' : 'NOT met'})`,
  );
  log(`  writer lag, scraped each second: max ${round(maxLag, 3)} s over ${lags.length} scrapes (target < 2 s: ${maxLag < 2 ? 'met' : 'NOT met'}); api stopped ${exit.clean ? 'cleanly' : 'NOT cleanly'}`);
}

/** Kills an api with SIGKILL in the middle of a verify load, then counts what it answered against what was stored. */
async function measureCrash(db: BenchDatabase, target: Verifier, tokenId: string): Promise<void> {
  const seconds = 8;
  const killAfterMs = 5_500;
  const load = verifyLoad(target, seconds);
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  process.kill(target.api.pid, 'SIGKILL');
  const result = await load;
  // Every 2xx the load tool saw was a VALID answer the api gave before it died.
  const stored = await eventsOf(db, tokenId);
  const rate = result.ok / (killAfterMs / 1000);
  const lost = result.ok - stored;
  log(
    `crash (SIGKILL after ${killAfterMs / 1000} s of load at about ${round(rate, 0)} req/s): ${result.ok} answered, ${stored} stored, ${lost} lost = ${round((lost / rate) * 1000, 0)} ms of uses (one flush interval: 1000 ms)`,
  );
}

async function validAnswers(api: ChildServer): Promise<number> {
  const metrics = String((await new ApiClient(api.url).get('/metrics')).body);
  return Number(/^custos_verify_results_total\{code="VALID"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

function eventsOf(db: BenchDatabase, tokenId: string): Promise<number> {
  return withAdminClient(db.name, async (client) =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM usage_events WHERE token_id = $1 AND kind = 'verify'`, [tokenId])).rows[0]!.n),
  );
}

/**
 * `count` events of one token over the last 30 days, spread evenly, in twelve countries and four
 * outcomes, with their hourly rollups and address hashes as the writer keeps them.
 */
async function seedEvents(db: BenchDatabase, tenantId: string, tokenId: string, count: number): Promise<void> {
  await withAdminClient(db.name, async (client) => {
    await client.query(`SELECT custos_usage_ensure_partitions((now() AT TIME ZONE 'UTC')::date - 31, (now() AT TIME ZONE 'UTC')::date + 1)`);
    await client.query(
      `INSERT INTO usage_events (tenant_id, occurred_at, kind, token_id, caller_id, outcome, ip_prefix, ip_hash, country, region, transport, cross_border)
       SELECT $1, now() - (n * (30 * 86400.0 / $3)) * interval '1 second', 'verify', $2, 'tok_bench_caller',
              (ARRAY['VALID','VALID','VALID','GEO_BLOCKED','RATE_LIMITED'])[1 + n % 5],
              ('85.214.' || (n % 200) || '.0/24')::cidr, 'h' || (n % 5000),
              (ARRAY['DE','FR','NL','US','GB','JP','BR','CA','IT','ES','PL','SE'])[1 + n % 12],
              (ARRAY['EU','EU','EU','US','UK','APAC','ADEQUACY','CA','EU','EU','EU','EU'])[1 + n % 12], 'https',
              (n % 12) IN (3, 4, 5, 6, 7)
         FROM generate_series(1, $3::int) AS n`,
      [tenantId, tokenId, count],
    );
    await client.query(
      `INSERT INTO usage_rollups_hourly (tenant_id, token_id, hour, kind, outcome, country, region, cross_border, count, first_at, last_at)
       SELECT tenant_id, token_id, date_trunc('hour', occurred_at), kind, outcome, country, region, cross_border, count(*), min(occurred_at), max(occurred_at)
         FROM usage_events WHERE tenant_id = $1 AND token_id = $2
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
      [tenantId, tokenId],
    );
    await client.query(
      `INSERT INTO usage_addresses (tenant_id, token_id, ip_hash, last_day)
       SELECT tenant_id, token_id, ip_hash, max((occurred_at AT TIME ZONE 'UTC')::date) FROM usage_events WHERE tenant_id = $1 AND token_id = $2
        GROUP BY 1, 2, 3`,
      [tenantId, tokenId],
    );
    await client.query(`ANALYZE usage_events; ANALYZE usage_rollups_hourly; ANALYZE usage_addresses`);
  });
}

async function measureQueries(reader: ApiClient, tokenId: string): Promise<void> {
  const paths = [`/v1/tokens/${tokenId}/usage`, `/v1/usage?tokenId=${tokenId}&groupBy=day`];
  for (const path of paths) {
    for (let i = 0; i < 10; i++) await reader.get(path);
    const timings: number[] = [];
    for (let i = 0; i < settings.queries; i++) {
      const started = performance.now();
      const res = await reader.get(path);
      timings.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    }
    const p95 = percentile(timings, 95);
    log(`GET ${path.replace(tokenId, ':id')} over ${settings.seededEvents.toLocaleString('en')} events in 30 days: p50 ${round(percentile(timings, 50), 1)} ms, p95 ${round(p95, 1)} ms (target < 100 ms: ${p95 < 100 ? 'met' : 'NOT met'})`);
  }
}

async function main(): Promise<number> {
  const db = await createBenchDatabase();
  database = db;
  const secrets = benchSecrets();
  // BENCH_CPU_PROF=1: CPU profiles of both instances over one run of each target (bench/results/profiles).
  const profileDir = env.BENCH_CPU_PROF === '1' ? join(RESULTS_DIR, 'profiles') : undefined;
  const profiling: { args: string[]; env: Record<string, string> } = profileDir
    ? { args: ['-r', join(__dirname, 'lib', 'cpu-profile-preload.js')], env: { BENCH_PROFILE_DIR: profileDir } }
    : { args: [], env: {} };
  const [off, on] = await Promise.all([
    startBenchApi(db, 'api-all-off', secrets, { CUSTOS_USAGE_EVENTS: 'off', CUSTOS_GEOIP_DB: 'off', ...profiling.env }, profiling.args),
    startBenchApi(db, 'api-all-on', secrets, profiling.env, profiling.args),
  ]);
  const tenant = await signupTenant(new ApiClient(on.url), 'Usage Bench');
  const key = await serviceKey(tenant, ['custos:tokens:verify']);
  const bearer = key.issued.secret;
  const plain = await issueToken(tenant.owner, { name: 'plain' });
  const limited = await issueToken(tenant.owner, {
    name: 'limited and fenced',
    // High enough that no request of the run is refused: the limit is counted, never reached.
    rateLimit: { limit: 1_000_000, windowSeconds: 60 },
    geoMode: 'monitor',
    residencyRegion: 'EU',
    allowedRegions: ['EU'],
  });
  const clients = clientAddresses(settings.clients);
  const bodyOf = (secret: string) => clients.map((ip) => JSON.stringify({ token: secret, context: { ip } }));
  const offTarget: Verifier = { api: off, bearer, bodies: bodyOf(plain.secret) };
  const onTarget: Verifier = { api: on, bearer, bodies: bodyOf(limited.secret) };
  log(`usage bench: ${settings.connections} connections, ${settings.clients} client addresses; ratio: ${settings.rounds} rounds of ${settings.ratioSeconds} s runs`);

  const crashApi = phases.has('crash') ? await startBenchApi(db, 'api-crash', secrets) : undefined;
  // Issued up front: the writer phase stops the api that issues.
  const counted = await issueToken(tenant.owner, { name: 'counted', rateLimit: { limit: 1_000_000, windowSeconds: 60 }, residencyRegion: 'EU' });
  const seeded = await issueToken(tenant.owner, { name: 'a million uses' });
  const crashed = await issueToken(tenant.owner, { name: 'crashed' });

  if (profileDir) {
    // One profiler per process: each numbers the profiles its process writes.
    const profilers = new Map([off, on].map((api) => [api, new CpuProfiler(profileDir, () => api)]));
    for (const [label, target] of [['all-off', offTarget], ['events-geo', { ...onTarget, bodies: bodyOf(plain.secret) }], ['all-on', onTarget]] as const) {
      const profiler = profilers.get(target.api)!;
      await isolate(db, target.api, cpuSplit());
      profiler.start();
      const load = await verifyLoad(target, settings.durationSeconds);
      const file = await profiler.stop(`usage-${label}`);
      log(formatSummary(`api cpu profile, ${label} (${file}), ${load.ok} verifies`, summarizeProfile(file)));
    }
  }
  if (phases.has('ratio')) await measureRatio(db, offTarget, { ...onTarget, bodies: bodyOf(plain.secret) }, onTarget);
  // A token of its own, so that no event of the other phases still waiting in the buffer is counted.
  if (phases.has('writer')) await measureWriter(db, { ...onTarget, bodies: bodyOf(counted.secret) }, counted.token.id);
  if (phases.has('queries')) {
    const started = performance.now();
    await seedEvents(db, tenant.tenantId, seeded.token.id, settings.seededEvents);
    log(`seeded ${settings.seededEvents.toLocaleString('en')} events in ${round((performance.now() - started) / 1000, 1)} s`);
    const reader = phases.has('writer') ? await startBenchApi(db, 'api-reader', secrets) : on;
    await measureQueries(new ApiClient(reader.url, tenant.owner.auth), seeded.token.id);
  }
  if (crashApi) await measureCrash(db, { api: crashApi, bearer, bodies: bodyOf(crashed.secret) }, crashed.token.id);
  return 0;
}

void main()
  .then(
    (code) => code,
    (error: unknown) => {
      log(`usage bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return 1;
    },
  )
  .then(async (code) => {
    await stopAll();
    await database?.drop();
    process.exit(code);
  });
