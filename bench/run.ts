import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ApiClient, issueToken, serviceKey, signupTenant } from '@custos/testing';
import { runIssueBench, type IssueOutcome } from './issue-bench';
import { createBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { CpuProfiler } from './lib/cpu-profile';
import { API_MAIN, REPO_ROOT, RESULTS_DIR } from './lib/paths';
import { backendPids } from './lib/proc-cpu';
import { startNodeServer, stopAll, type ChildServer } from './lib/processes';
import { formatSummary, summarizeProfile, type ProfileSummary } from './lib/profile-summary';
import { createScratchTable } from './lib/sql-baselines';
import { round } from './lib/stats';
import { runSdkBench, type SdkOutcome } from './sdk-bench';
import { runVerifyBench, startBaselines, verifyRequest, type VerifyOutcome } from './verify-bench';

/**
 * `npm run bench`: the verify hot path and the issue path of the real api, each against baselines
 * measured in the same run on the same machine (docs/benchmarks.md). Only ratios compare across
 * machines and runs.
 */
const env = process.env;
const int = (name: string, fallback: number): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const phases = new Set((env.BENCH_PHASES ?? 'verify,issue,sdk').split(',').map((p) => p.trim()));
const settings = {
  verify: {
    // Keep-alive connections without HTTP pipelining, as services' HTTP clients send requests
    // (BENCH_PIPELINING=10 BENCH_CONNECTIONS=100 is the pipelined stress variant in docs/benchmarks.md).
    connections: int('BENCH_CONNECTIONS', 50),
    pipelining: int('BENCH_PIPELINING', 1),
    durationSeconds: int('BENCH_DURATION_S', 10),
    warmupSeconds: int('BENCH_WARMUP_S', 3),
    rounds: int('BENCH_ROUNDS', 2),
  },
  issue: {
    clients: 8,
    rounds: int('BENCH_ROUNDS', 2),
    apiAmount: int('BENCH_ISSUE_COUNT', 10000),
    rawAmount: int('BENCH_RAW_COUNT', 10000),
    maxSeconds: int('BENCH_ISSUE_MAX_S', 15),
    breakdownMaxSeconds: 6,
    warmupAmount: 300,
    apiWarmupAmount: int('BENCH_ISSUE_WARMUP', 10000),
  },
  sdk: {
    tokens: int('BENCH_SDK_TOKENS', 100),
    loopSeconds: int('BENCH_SDK_LOOP_S', 3),
    revocations: int('BENCH_SDK_REVOCATIONS', 200),
    loadSeconds: int('BENCH_SDK_LOAD_S', 60),
  },
};
/** Issue 19's table (docs/benchmarks.md). */
const TARGETS = { verifyVsNodeHttp: 0.8, issueCpuMs: 0.4, issue: 0.35, sdkVsSha256: 0.5, sdkVsHttp: 50, revokeP99Ms: 50, reportsLost: 0 };

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const started = Date.now();
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(0)} s`;

/** Which code was measured: the commit, and whether tracked files had changes on top of it. */
function gitState(): { commit: string; dirty: boolean } | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    return null;
  }
}

interface ChainCheck {
  status: number;
  valid: boolean;
  checkedEvents: number;
  issuedUnderLoad: number;
  verifyMs: number;
  ok: boolean;
}

let database: BenchDatabase | undefined;
let apiServer: ChildServer | undefined;

async function main(): Promise<number> {
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadavgBefore: loadavg().map((l) => round(l)),
  };
  log(`Custos bench: ${machine.cpus} cpu (${machine.model}), node ${machine.node}, load ${machine.loadavgBefore.join(' ')}`);

  const db = await createBenchDatabase();
  database = db;
  await createScratchTable(db.ownerUrl);
  log(`database ${db.name} migrated (${elapsed()})`);

  const cpuProfileDir = env.BENCH_CPU_PROF === '1' ? join(RESULTS_DIR, 'profiles') : undefined;
  const apiEnv = {
    NODE_ENV: 'production',
    DATABASE_URL: db.appUrl,
    DATABASE_MIGRATION_URL: db.ownerUrl,
    CUSTOS_MIGRATE_ON_START: 'false',
    REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    CUSTOS_TOKEN_PEPPER: randomBytes(32).toString('base64url'),
    CUSTOS_MASTER_KEY: randomBytes(32).toString('base64url'),
    CUSTOS_TOKEN_PEPPER_ID: 'bench1',
    LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'warn',
  };
  const api = await startNodeServer({
    name: 'api',
    script: API_MAIN,
    nodeArgs: cpuProfileDir ? ['-r', join(__dirname, 'lib', 'cpu-profile-preload.js')] : [],
    env: { ...apiEnv, ...(cpuProfileDir ? { BENCH_PROFILE_DIR: cpuProfileDir } : {}) },
    readyPath: '/health/ready',
  });
  apiServer = api;
  log(`api ready at ${api.url} (pid ${api.pid}, ${elapsed()})`);

  const profiler = cpuProfileDir ? new CpuProfiler(cpuProfileDir, () => api) : undefined;
  const profiles: Record<string, ProfileSummary> = {};
  const profiled = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    if (!profiler) return work();
    profiler.start();
    const result = await work();
    const file = await profiler.stop(label);
    profiles[label] = summarizeProfile(file);
    log(formatSummary(`api cpu profile, ${label} phase (${file})`, profiles[label]));
    return result;
  };
  const apiPids = async () => ({ server: [api.pid], postgres: await backendPids(db.ownerUrl, 'custos-api') });

  // A tenant with three service keys of one permission each, the token verify presents, and a second
  // tenant for the SQL-only baselines.
  const tenant = await signupTenant(new ApiClient(api.url), 'Bench Org');
  const verifyKey = await serviceKey(tenant, ['custos:tokens:verify']);
  const issueKey = await serviceKey(tenant, ['custos:tokens:issue']);
  const auditKey = await serviceKey(tenant, ['custos:audit:read']);
  // The issue phase sends thousands of requests a minute with one service key: above the default API budget.
  const { updatedAt: _updatedAt, ...policy } = (await tenant.owner.get<Record<string, unknown>>('/v1/policy')).body;
  const raised = await tenant.owner.put('/v1/policy', { ...policy, apiRateLimit: { limit: 1_000_000, windowSeconds: 60 } });
  if (raised.status !== 200) throw new Error(`could not raise the bench tenant's API budget: ${raised.status} ${JSON.stringify(raised.body)}`);
  const sqlTenant = await signupTenant(new ApiClient(api.url), 'Bench SQL Org');
  const presented = await issueToken(tenant.owner, { scopes: ['orders:read', 'orders:write'], expiresInSeconds: 3600 });
  const check = await verifyKey.client.post<{ valid: boolean }>('/v1/verify', { token: presented.secret, scopes: ['orders:read'] });
  if (check.status !== 200 || !check.body.valid) throw new Error(`verify does not answer VALID: ${check.status} ${JSON.stringify(check.body)}`);

  let verify: VerifyOutcome | undefined;
  if (phases.has('verify')) {
    const s = settings.verify;
    log(`\n1. verify, warm cache: -c${s.connections} -p${s.pipelining}, ${s.durationSeconds} s per run, ${s.rounds} rounds (${elapsed()})`);
    const baselines = await startBaselines();
    try {
      verify = await profiled('verify', () =>
        runVerifyBench(
          [
            ...baselines.targets,
            { name: 'api-verify', load: verifyRequest(api.url, verifyKey.issued.secret, presented.secret), pids: apiPids },
          ],
          s,
          log,
        ),
      );
    } finally {
      await Promise.all(baselines.servers.map((server) => server.stop()));
    }
  }

  let issue: IssueOutcome | undefined;
  let chain: ChainCheck | undefined;
  if (phases.has('issue')) {
    const s = settings.issue;
    log(`\n2. issue: ${s.clients} clients; per round up to ${s.apiAmount} issues and ${s.rawAmount} raw INSERTs, ${s.maxSeconds} s each (${elapsed()})`);
    issue = await profiled('issue', () =>
      runIssueBench(
        {
          apiUrl: api.url,
          apiPids,
          issueKey: issueKey.issued.secret,
          ownerUrl: db.ownerUrl,
          appUrl: db.appUrl,
          tenantId: tenant.tenantId,
          createdBy: tenant.ownerId,
          sqlTenantId: sqlTenant.tenantId,
          sqlCreatedBy: sqlTenant.ownerId,
        },
        s,
        log,
      ),
    );
    // Sealing catches up after the load; the verdict must cover every event issued under it.
    const t0 = performance.now();
    const response = await auditKey.client.get<{ valid: boolean; checkedEvents: number }>('/v1/audit-events/verify');
    const valid = response.status === 200 && response.body.valid;
    chain = {
      status: response.status,
      valid,
      checkedEvents: response.body.checkedEvents,
      issuedUnderLoad: issue.issued,
      verifyMs: Math.round(performance.now() - t0),
      ok: valid && response.body.checkedEvents >= issue.issued,
    };
    log(`  audit chain: valid=${chain.valid}, ${chain.checkedEvents} events checked for ${chain.issuedUnderLoad} issued under load (${chain.verifyMs} ms)`);
  }

  let sdk: SdkOutcome | undefined;
  if (phases.has('sdk')) {
    const s = settings.sdk;
    // A second instance of the same installation (database, Redis namespace), where the revocations are made.
    const other = await startNodeServer({ name: 'api-2', script: API_MAIN, env: apiEnv, readyPath: '/health/ready' });
    log(`\n3. sdk: ${s.tokens} cached tokens, ${s.loopSeconds} s loops, ${s.revocations} revocations through a second instance, ${s.loadSeconds} s of load (${elapsed()})`);
    try {
      sdk = await runSdkBench(
        { apiUrl: api.url, otherApiUrl: other.url, verifyKey: verifyKey.issued.secret, tenant, httpVerifyRps: verify?.median['api-verify'].rps ?? null },
        s,
        log,
      );
    } finally {
      await other.stop();
    }
  }

  const apiExit = await api.stop();
  if (!apiExit.clean) log(`api did not stop cleanly (${JSON.stringify(apiExit)}):\n${api.output()}`);

  const results = {
    date: new Date().toISOString(),
    git: gitState(),
    machine: { ...machine, loadavgAfter: loadavg().map((l) => round(l)) },
    settings,
    targets: TARGETS,
    ...(verify
      ? {
          verify: {
            ratios: mapRound(verify.ratios),
            median: verify.median,
            rounds: verify.rounds.map((r) => mapRound(r)),
            met: { rpsVsNodeHttp: verify.ratios.rpsVsNodeHttp >= TARGETS.verifyVsNodeHttp },
            runs: verify.runs,
          },
        }
      : {}),
    ...(issue
      ? {
          issue: {
            ratio: round(issue.ratio),
            sqlTxVsRaw: round(issue.sqlTxVsRaw),
            sqlLeanVsRaw: round(issue.sqlLeanVsRaw),
            apiVsSqlTx: round(issue.apiVsSqlTx),
            met: { ratio: issue.ratio >= TARGETS.issue, cpu: issue.median.apiServerCpuUs / 1000 <= TARGETS.issueCpuMs },
            median: issue.median,
            runs: issue.runs,
          },
          chain,
        }
      : {}),
    ...(sdk
      ? {
          sdk: {
            ...sdk,
            vsSha256: round(sdk.vsSha256),
            vsHttp: sdk.vsHttp === null ? null : round(sdk.vsHttp, 1),
            met: {
              vsSha256: sdk.vsSha256 >= TARGETS.sdkVsSha256,
              vsHttp: sdk.vsHttp === null ? null : sdk.vsHttp >= TARGETS.sdkVsHttp,
              revokeP99: sdk.revokeToRefusedMs.p99 <= TARGETS.revokeP99Ms,
              reportsLost: sdk.load.lost === TARGETS.reportsLost,
            },
          },
        }
      : {}),
    apiExit,
    ...(profiler ? { profiles } : {}),
    seconds: Math.round((Date.now() - started) / 1000),
  };
  printTable(verify, issue, chain, sdk);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote bench/results/latest.json (${elapsed()})`);
  return (chain === undefined || chain.ok) && (sdk === undefined || sdk.load.lost === 0) && apiExit.clean ? 0 : 1;
}

function mapRound<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])) as T;
}

function printTable(verify: VerifyOutcome | undefined, issue: IssueOutcome | undefined, chain: ChainCheck | undefined, sdk: SdkOutcome | undefined): void {
  const fmt = (v: number): string => v.toFixed(2);
  const n = (v: number): string => String(Math.round(v));
  const yes = (met: boolean): string => (met ? 'yes' : 'NO');
  const rows: string[][] = [['measure', 'ratio', 'target', 'met', 'absolute (medians)']];
  if (verify) {
    const m = verify.median;
    const r = verify.ratios;
    const timeouts = m['api-verify'].timeouts > 0 ? ` (+${m['api-verify'].timeouts} timeouts > 30 s)` : '';
    rows.push(
      [
        'verify req/s, api / node:http same work',
        fmt(r.rpsVsNodeHttp),
        `>= ${TARGETS.verifyVsNodeHttp.toFixed(2)}`,
        yes(r.rpsVsNodeHttp >= TARGETS.verifyVsNodeHttp),
        `${n(m['api-verify'].rps)} vs ${n(m['node-verify'].rps)} req/s; cpu/request ${n(m['api-verify'].serverCpuUs)} vs ${n(m['node-verify'].serverCpuUs)} µs${timeouts}`,
      ],
      [
        'req/s, node:http same work + api headers / without',
        fmt(r.headersVsNodeHttp),
        'info',
        '',
        `${n(m['node-verify+headers'].rps)} req/s, ${n(m['node-verify+headers'].serverCpuUs)} µs cpu/request`,
      ],
      ['verify req/s, api / node:http same work + api headers', fmt(r.rpsVsNodeHttpWithHeaders), 'info', '', ''],
      ['verify req/s, api / fastify hello', fmt(r.rps), 'info', '', `${n(m['api-verify'].rps)} vs ${n(m['fastify-hello'].rps)} req/s`],
      ['verify p99, api / fastify hello', fmt(r.p99), 'info', '', `${n(m['api-verify'].p99Ms)} vs ${n(m['fastify-hello'].p99Ms)} ms`],
      ['verify req/s, api / bare-fastify verify', fmt(r.rpsVsBareVerify), 'info', '', `${n(m['api-verify'].rps)} vs ${n(m['fastify-verify'].rps)} req/s`],
      ['req/s, bare-fastify verify / hello', fmt(r.bareVerifyVsHello), 'info', '', `p99 ${n(m['fastify-verify'].p99Ms)} ms`],
      ['req/s, node:http verify, no framework / hello', fmt(r.rawVerifyVsHello), 'info', '', `${n(m['node-verify'].rps)} req/s, ${n(m['node-verify'].serverCpuUs)} µs cpu/request`],
      ['req/s, bare-fastify POST (no work) / hello', fmt(r.postVsHello), 'info', '', `${n(m['fastify-post'].rps)} req/s`],
      ['verify req/s, api / bare-fastify POST', fmt(r.rpsVsPost), 'info', '', ''],
      ['server cpu per request, hello / api', fmt(r.cpuEfficiency), 'info', '', `${n(m['fastify-hello'].serverCpuUs)} vs ${n(m['api-verify'].serverCpuUs)} µs`],
      ['server cpu per request, bare verify / api', fmt(r.cpuEfficiencyVsBareVerify), 'info', '', `${n(m['fastify-verify'].serverCpuUs)} vs ${n(m['api-verify'].serverCpuUs)} µs`],
    );
  }
  if (issue) {
    const m = issue.median;
    rows.push(
      ['issue ops/s, api / raw INSERT', fmt(issue.ratio), `>= ${TARGETS.issue.toFixed(2)}`, yes(issue.ratio >= TARGETS.issue), `${n(m.apiRps)} vs ${n(m.rawRps)} ops/s, p99 ${n(m.apiP99Ms)} vs ${fmt(m.rawP99Ms)} ms`],
      [
        'api cpu per issue',
        `${(m.apiServerCpuUs / 1000).toFixed(2)} ms`,
        `<= ${TARGETS.issueCpuMs} ms`,
        yes(m.apiServerCpuUs / 1000 <= TARGETS.issueCpuMs),
        `+ ${n(m.apiPostgresCpuUs)} µs of its Postgres backends`,
      ],
      ['sql-only issue tx (6 trips) / raw INSERT', fmt(issue.sqlTxVsRaw), 'info', '', `${n(m.sqlTxRps)} ops/s`],
      ['sql-only issue tx (3 trips) / raw INSERT', fmt(issue.sqlLeanVsRaw), 'info', '', `${n(m.sqlLeanRps)} ops/s`],
      ['issue ops/s, api / sql-only (6 trips)', fmt(issue.apiVsSqlTx), 'info', '', ''],
      ['issue cpu per op: api process + postgres', '', 'info', '', `${n(m.apiServerCpuUs)} + ${n(m.apiPostgresCpuUs)} µs`],
      ['postgres cpu per op: raw, sql-only (6 trips)', '', 'info', '', `${n(m.rawPostgresCpuUs)}, ${n(m.sqlTxPostgresCpuUs)} µs`],
    );
  }
  if (sdk) {
    rows.push(
      ['sdk cached verify / SHA-256 of the same tokens', fmt(sdk.vsSha256), '>= 0.50', yes(sdk.vsSha256 >= TARGETS.sdkVsSha256), `${n(sdk.cachedOpsPerSec)} vs ${n(sdk.sha256OpsPerSec)} ops/s`],
      [
        'sdk cached verify / HTTP verify through the api',
        sdk.vsHttp === null ? 'n/a' : sdk.vsHttp.toFixed(0),
        '>= 50',
        sdk.vsHttp === null ? '' : yes(sdk.vsHttp >= TARGETS.sdkVsHttp),
        sdk.vsHttp === null ? 'run with the verify phase' : `${n(sdk.cachedOpsPerSec)} vs ${n(sdk.cachedOpsPerSec / sdk.vsHttp)} req/s`,
      ],
      ['revoke (other instance) -> refused by the sdk, p99', `${fmt(sdk.revokeToRefusedMs.p99)} ms`, '<= 50 ms', yes(sdk.revokeToRefusedMs.p99 <= TARGETS.revokeP99Ms), `p50 ${fmt(sdk.revokeToRefusedMs.p50)}, max ${fmt(sdk.revokeToRefusedMs.max)} ms; after the revoke's answer p99 ${fmt(sdk.ackToRefusedMs.p99)} ms`],
      ['sdk usage reports lost over the load', String(sdk.load.lost), '0', yes(sdk.load.lost === 0), `${sdk.load.verifies} verifies in ${sdk.load.seconds} s, ${sdk.load.counted} counted`],
    );
  }
  if (chain) {
    rows.push(['audit chain after the issue load', chain.valid ? 'valid' : 'INVALID', `>= ${chain.issuedUnderLoad} events`, yes(chain.ok), `${chain.checkedEvents} events checked`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  log('');
  for (const [i, row] of rows.entries()) {
    log(row.map((cell, j) => cell.padEnd(widths[j]!)).join('  ').trimEnd());
    if (i === 0) log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

async function cleanup(): Promise<void> {
  await stopAll();
  await database?.drop();
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`\n${signal}: stopping the servers and dropping the bench database`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await cleanup();
    process.exitCode = code;
  })
  .catch(async (error: unknown) => {
    if (interrupted) return;
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (apiServer) process.stderr.write(`api ${apiServer.state()}, output (tail):\n${apiServer.output().slice(-4000)}\n`);
    await cleanup().catch(() => undefined);
    process.exitCode = 1;
  });
