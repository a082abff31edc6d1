import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const API_MAIN = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningApi {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** Resolves to the exit code, or to the signal's name when the process re-raised it (as Nest does). */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** The built api as a real process, as `npm start` runs it, on the test run's database. */
export async function startApi(env: Record<string, string> = {}): Promise<RunningApi> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run \`npm run build:server\` first`);
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      DATABASE_MIGRATION_URL: process.env.TEST_DATABASE_OWNER_URL!,
      CUSTOS_MIGRATE_ON_START: 'false',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      CUSTOS_TOKEN_PEPPER: process.env.CUSTOS_TEST_PEPPER ?? randomBytes(32).toString('base64url'),
      CUSTOS_TOKEN_PEPPER_ID: 'test1',
      CUSTOS_MASTER_KEY: process.env.CUSTOS_TEST_MASTER_KEY ?? randomBytes(32).toString('base64url'),
      CUSTOS_AUTH_RATE_LIMIT: '100000',
      CUSTOS_USAGE_FLUSH_INTERVAL_MS: '200',
      LOG_LEVEL: process.env.CUSTOS_TEST_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`api did not become ready in 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
