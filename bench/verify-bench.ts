import { join } from 'node:path';
import { generateToken } from '@custos/domain';
import { runLoad, type LoadOptions, type LoadResult } from './lib/load';
import { SERVERS_DIR } from './lib/paths';
import { withCpu, type CpuPerOp } from './lib/proc-cpu';
import { startNodeServer, type ChildServer } from './lib/processes';
import { median } from './lib/stats';

export interface VerifySettings {
  connections: number;
  pipelining: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
}

export interface VerifyTarget {
  name: 'fastify-hello' | 'fastify-post' | 'fastify-verify' | 'node-verify+headers' | 'node-verify' | 'api-verify';
  load: Omit<LoadOptions, 'connections' | 'pipelining' | 'durationSeconds' | 'maxSeconds'>;
  /** Processes whose CPU time is charged to this target's requests. */
  pids: () => Promise<{ server: number[]; postgres: number[] }>;
}

export type MeasuredLoad = LoadResult & { cpu: CpuPerOp };

export interface VerifyOutcome {
  runs: Record<VerifyTarget['name'], MeasuredLoad[]>;
  /** Medians over the rounds; timeouts are summed (requests with no answer in 30 s, not in p99). */
  median: Record<VerifyTarget['name'], { rps: number; p99Ms: number; serverCpuUs: number; timeouts: number }>;
  /** Per round: api / hello, measured back to back; the headline is their median. */
  rounds: Array<{ rpsRatio: number; p99Ratio: number; frameworkRpsRatio: number }>;
  ratios: {
    /** api-verify req/s ÷ node-verify req/s, runs back to back: the api against the same work with no framework (issue 19: ≥ 0.80). */
    rpsVsNodeHttp: number;
    /** Server CPU per request, node-verify ÷ api-verify. */
    cpuEfficiencyVsNodeHttp: number;
    /** node-verify+headers req/s ÷ node-verify req/s: what answering with the api's headers costs the same work. */
    headersVsNodeHttp: number;
    /** api-verify req/s ÷ node-verify+headers req/s. */
    rpsVsNodeHttpWithHeaders: number;
    /** api-verify req/s ÷ fastify-hello req/s (the first target, ≥ 0.60, out of reach on this machine: docs/benchmarks.md). */
    rps: number;
    /** api-verify p99 ÷ fastify-hello p99. */
    p99: number;
    /** api-verify req/s ÷ fastify-verify req/s: what Nest and the api's stack cost on this route. */
    rpsVsBareVerify: number;
    /** fastify-verify req/s ÷ fastify-hello req/s: what the verify work itself costs. */
    bareVerifyVsHello: number;
    /** node-verify req/s ÷ fastify-hello req/s: the same work on node:http with no framework, the ceiling of `rps`. */
    rawVerifyVsHello: number;
    /** fastify-post req/s ÷ fastify-hello req/s: what a POST with a JSON body costs before any work. */
    postVsHello: number;
    /** api-verify req/s ÷ fastify-post req/s. */
    rpsVsPost: number;
    /** Server CPU per request, fastify-hello ÷ api-verify: the efficiency ratio, less sensitive to a noisy machine. */
    cpuEfficiency: number;
    /** Server CPU per request, fastify-verify ÷ api-verify. */
    cpuEfficiencyVsBareVerify: number;
  };
}

const VERIFY_SCOPES = ['orders:read', 'orders:write'];

/** The baseline servers (bench/servers), each a child process of its own like the api. */
export async function startBaselines(): Promise<{
  servers: ChildServer[];
  targets: VerifyTarget[];
}> {
  const serviceKey = generateToken('live').raw;
  const token = generateToken('live').raw;
  const production = { NODE_ENV: 'production' };
  const hello = await startNodeServer({
    name: 'fastify-hello',
    script: join(SERVERS_DIR, 'fastify-hello.js'),
    env: production,
    readyPath: '/health',
  });
  const verifyEnv = {
    ...production,
    BENCH_VERIFY_TOKENS: JSON.stringify([
      { raw: serviceKey, scopes: ['custos:tokens:verify'] },
      { raw: token, scopes: VERIFY_SCOPES },
    ]),
  };
  const verify = await startNodeServer({ name: 'fastify-verify', script: join(SERVERS_DIR, 'fastify-verify.js'), env: verifyEnv, readyPath: '/health' });
  const raw = await startNodeServer({ name: 'node-verify', script: join(SERVERS_DIR, 'node-verify.js'), env: verifyEnv, readyPath: '/health' });
  const rawWithHeaders = await startNodeServer({
    name: 'node-verify+headers',
    script: join(SERVERS_DIR, 'node-verify.js'),
    env: { ...verifyEnv, BENCH_API_HEADERS: '1' },
    readyPath: '/health',
  });
  const targets: VerifyTarget[] = [
    { name: 'fastify-hello', load: { url: `${hello.url}/`, method: 'GET' }, pids: async () => ({ server: [hello.pid], postgres: [] }) },
    {
      name: 'fastify-post',
      load: verifyRequest(hello.url, serviceKey, token),
      pids: async () => ({ server: [hello.pid], postgres: [] }),
    },
    {
      name: 'fastify-verify',
      load: verifyRequest(verify.url, serviceKey, token),
      pids: async () => ({ server: [verify.pid], postgres: [] }),
    },
    {
      name: 'node-verify+headers',
      load: verifyRequest(rawWithHeaders.url, serviceKey, token),
      pids: async () => ({ server: [rawWithHeaders.pid], postgres: [] }),
    },
    {
      name: 'node-verify',
      load: verifyRequest(raw.url, serviceKey, token),
      pids: async () => ({ server: [raw.pid], postgres: [] }),
    },
  ];
  return { servers: [hello, verify, raw, rawWithHeaders], targets };
}

/** POST /v1/verify as a service would send it. */
export function verifyRequest(baseUrl: string, serviceKey: string, token: string): VerifyTarget['load'] {
  return {
    url: `${baseUrl}/v1/verify`,
    method: 'POST',
    headers: { authorization: `Bearer ${serviceKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ token, scopes: ['orders:read'] }),
  };
}

/** Warms every target, then measures them in turn, `rounds` times (A B C A B C ...). */
export async function runVerifyBench(
  targets: VerifyTarget[],
  settings: VerifySettings,
  log: (line: string) => void,
): Promise<VerifyOutcome> {
  const common = { connections: settings.connections, pipelining: settings.pipelining };
  for (const target of targets) {
    log(`  warm-up ${target.name} (${settings.warmupSeconds} s)`);
    const warm = await runLoad({ ...target.load, ...common, durationSeconds: settings.warmupSeconds, maxSeconds: settings.warmupSeconds + 5 });
    assertClean(target.name, warm);
  }
  const runs = { 'fastify-hello': [], 'fastify-post': [], 'fastify-verify': [], 'node-verify+headers': [], 'node-verify': [], 'api-verify': [] } as VerifyOutcome['runs'];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const target of targets) {
      // A few requests on one connection first: the api's snapshot cache entries live 30 s, and a run
      // must not start with 1000 requests missing at once (a mid-run expiry stays in the figures).
      await runLoad({ ...target.load, connections: 1, pipelining: 1, amount: 20, maxSeconds: 10 });
      const { result, cpu } = await withCpu(
        target.pids,
        () => runLoad({ ...target.load, ...common, durationSeconds: settings.durationSeconds, maxSeconds: settings.durationSeconds + 10 }),
        (r) => r.ok,
      );
      assertClean(target.name, result);
      runs[target.name].push({ ...result, cpu });
      log(
        `  round ${round} ${target.name.padEnd(15)} ${String(Math.round(result.rps)).padStart(6)} req/s, p99 ${result.latencyMs.p99} ms, ` +
          `cpu/request: server ${cpu.serverUs} µs, postgres ${cpu.postgresUs} µs, autocannon ${cpu.clientUs} µs` +
          (result.errors > 0 ? `, ${result.errors} errors (${result.timeouts} timeouts)` : ''),
      );
    }
  }
  const med = (name: VerifyTarget['name']) => ({
    rps: median(runs[name].map((r) => r.rps)),
    p99Ms: median(runs[name].map((r) => r.latencyMs.p99)),
    serverCpuUs: median(runs[name].map((r) => r.cpu.serverUs)),
    timeouts: runs[name].reduce((sum, r) => sum + r.timeouts, 0),
  });
  const rounds = runs['api-verify'].map((api, i) => {
    const hello = runs['fastify-hello'][i]!;
    const bare = runs['fastify-verify'][i]!;
    return {
      rpsRatio: api.rps / hello.rps,
      p99Ratio: api.latencyMs.p99 / hello.latencyMs.p99,
      frameworkRpsRatio: api.rps / bare.rps,
    };
  });
  const medians = {
    'fastify-hello': med('fastify-hello'),
    'fastify-post': med('fastify-post'),
    'fastify-verify': med('fastify-verify'),
    'node-verify+headers': med('node-verify+headers'),
    'node-verify': med('node-verify'),
    'api-verify': med('api-verify'),
  };
  const versus = (a: VerifyTarget['name'], b: VerifyTarget['name']) => median(runs[a].map((x, i) => x.rps / runs[b][i]!.rps));
  return {
    runs,
    median: medians,
    rounds,
    ratios: {
      rpsVsNodeHttp: versus('api-verify', 'node-verify'),
      cpuEfficiencyVsNodeHttp: medians['node-verify'].serverCpuUs / medians['api-verify'].serverCpuUs,
      headersVsNodeHttp: versus('node-verify+headers', 'node-verify'),
      rpsVsNodeHttpWithHeaders: versus('api-verify', 'node-verify+headers'),
      rps: median(rounds.map((r) => r.rpsRatio)),
      p99: median(rounds.map((r) => r.p99Ratio)),
      rpsVsBareVerify: median(rounds.map((r) => r.frameworkRpsRatio)),
      bareVerifyVsHello: versus('fastify-verify', 'fastify-hello'),
      rawVerifyVsHello: versus('node-verify', 'fastify-hello'),
      postVsHello: versus('fastify-post', 'fastify-hello'),
      rpsVsPost: versus('api-verify', 'fastify-post'),
      cpuEfficiency: medians['fastify-hello'].serverCpuUs / medians['api-verify'].serverCpuUs,
      cpuEfficiencyVsBareVerify: medians['fastify-verify'].serverCpuUs / medians['api-verify'].serverCpuUs,
    },
  };
}

/**
 * A run with non-2xx answers or connection errors measures something else: stop rather than report it.
 * Timeouts (no answer in TIMEOUT_SECONDS) are kept and reported: they are the latency tail.
 */
function assertClean(name: string, result: LoadResult): void {
  if (result.ok === 0 || result.non2xx > 0 || result.errors - result.timeouts > result.ok * 0.001) {
    throw new Error(
      `${name}: ${result.ok} ok, ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodes)}), ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  }
}
