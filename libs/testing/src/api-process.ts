import { spawn, type ChildProcess } from 'node:child_process';
import { githubTestKeysUrl } from './github-scanning';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CustosConfig } from '@custos/runtime';
import { runtime } from './heavy-libraries';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const API_MAIN = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export interface RunningProcess {
  process: ChildProcess;
  output: () => string;
  /** Resolves to the exit code, or to the signal's name when the process re-raised it (as Nest does). */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

export interface RunningApi extends RunningProcess {
  url: string;
}

export const WORKER_MAIN = join(REPO_ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

/** The settings api and worker share in tests: the run's database, Redis and secrets. */
function testEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL!,
    DATABASE_MIGRATION_URL: process.env.TEST_DATABASE_OWNER_URL!,
    CUSTOS_MIGRATE_ON_START: 'false',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    CUSTOS_TOKEN_PEPPER: process.env.CUSTOS_TEST_PEPPER ?? randomBytes(32).toString('base64url'),
    CUSTOS_TOKEN_PEPPER_ID: 'test1',
    CUSTOS_MASTER_KEY: process.env.CUSTOS_TEST_MASTER_KEY ?? randomBytes(32).toString('base64url'),
    LOG_LEVEL: process.env.CUSTOS_TEST_LOG_LEVEL ?? 'warn',
    // Test webhook receivers listen on 127.0.0.1; the SSRF tests start an api with this off.
    CUSTOS_WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    // The SSO tests' IdP (oidc-provider) listens on plain http on the loopback.
    CUSTOS_SSO_ALLOW_HTTP_ISSUERS: 'true',
    // A scheduled checkpoint signs the head of every tenant in the database, and so would write events
    // into other tests' tenants mid-test: off, unless a test turns it on (on a database of its own).
    CUSTOS_CHECKPOINT_INTERVAL_MS: '0',
    CUSTOS_CHECKPOINT_EVERY_EVENTS: '0',
    // GitHub's secret scanning key: the run's own (github-scanning.ts), so tests can sign reports.
    ...(githubTestKeysUrl() ? { CUSTOS_GITHUB_SCANNING_KEYS_URL: githubTestKeysUrl()! } : {}),
    ...env,
  };
}

function spawnBuilt(main: string, env: NodeJS.ProcessEnv): RunningProcess & { exited: Promise<number | NodeJS.Signals | null> } {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build:server\` first`);
  let output = '';
  const child = spawn(process.execPath, [main], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    process: child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * The configuration an in-process worker or use case gets in a test: the run's database, Redis and
 * secrets (shared with the api process), quiet logs, a small pool.
 */
export async function testConfig(overrides: Record<string, string> = {}): Promise<CustosConfig> {
  return (await runtime()).loadConfig(testEnvironment({ LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '2', ...overrides }));
}

/** The built api as a real process, as `npm start` runs it, on the test run's database. */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  const port = await (await runtime()).freeLoopbackPort();
  return startBuiltApi(testEnvironment({
    HOST: '127.0.0.1',
    PORT: String(port),
    CUSTOS_AUTH_RATE_LIMIT: '100000',
    CUSTOS_LEAK_REPORT_RATE_LIMIT: '100000',
    // Every test logs in from 127.0.0.1: the per-address limit and the answer delay have tests of their own.
    CUSTOS_LOGIN_ADDRESS_FAILURE_LIMIT: '100000',
    CUSTOS_LOGIN_MIN_RESPONSE_MS: '0',
    CUSTOS_USAGE_FLUSH_INTERVAL_MS: '200',
    ...env,
  }));
}

/** The built api with exactly this environment (HOST and PORT included), once it answers ready. */
export async function startBuiltApi(env: NodeJS.ProcessEnv): Promise<RunningApi> {
  if (!env.HOST || !env.PORT) throw new Error('startBuiltApi: HOST and PORT say where to wait for the api');
  const url = `http://${env.HOST}:${env.PORT}`;
  const running = spawnBuilt(API_MAIN, env);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (running.process.exitCode !== null) throw new Error(`api exited with ${running.process.exitCode}:\n${running.output()}`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      running.process.kill('SIGKILL');
      throw new Error(`api did not become ready in 30 s:\n${running.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, process: running.process, output: running.output, stop: running.stop };
}

/**
 * The built worker as a real process on the test run's database. Give it its own CUSTOS_QUEUE_PREFIX
 * unless it should share queues with other workers; it is ready once it says so on stdout.
 */
export async function startWorker(env: Record<string, string> = {}): Promise<RunningProcess> {
  // A worker sweeps every tenant of its database: beside other suites on the shared one, it writes into theirs.
  if (process.env.CUSTOS_TEST_PHASE === 'parallel' && (env.DATABASE_URL ?? process.env.TEST_DATABASE_URL) === process.env.TEST_DATABASE_URL) {
    throw new Error("startWorker on the run's shared database: mark the suite `// @runsAlone: why` (jest.config.cjs) or give it a database of its own (createScratchDatabase)");
  }
  const running = spawnBuilt(WORKER_MAIN, testEnvironment({ DATABASE_POOL_SIZE: '4', ...env }));
  const deadline = Date.now() + 30_000;
  while (!running.output().includes('Custos worker started')) {
    if (running.process.exitCode !== null) throw new Error(`worker exited with ${running.process.exitCode}:\n${running.output()}`);
    if (Date.now() > deadline) {
      running.process.kill('SIGKILL');
      throw new Error(`worker did not start in 30 s:\n${running.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { process: running.process, output: running.output, stop: running.stop };
}
