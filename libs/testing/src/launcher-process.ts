import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtime } from './heavy-libraries';
import { REPO_ROOT, startBuiltApi, type RunningApi } from './api-process';
import { childProcesses, processEnvironment } from './processes';

const LAUNCHER_MAIN = join(REPO_ROOT, 'dist', 'apps', 'launcher', 'src', 'main.js');
const READY_TIMEOUT_MS = 120_000;

/** Settings a developer's shell would not have on a first start, but the test environment may. */
const NOT_ON_A_FRESH_MACHINE = [
  'DATABASE_URL',
  'DATABASE_MIGRATION_URL',
  'DATABASE_POOL_SIZE',
  'CUSTOS_TOKEN_PEPPER',
  'CUSTOS_TOKEN_PEPPER_ID',
  'CUSTOS_TOKEN_PEPPERS_PREVIOUS',
  'CUSTOS_MASTER_KEY',
  'CUSTOS_ADMIN_EMAIL',
  'CUSTOS_ADMIN_PASSWORD',
  'CUSTOS_MIGRATE_ON_START',
  'CUSTOS_DASHBOARD_DIR',
  'NODE_ENV',
];

export interface RunningLauncher {
  url: string;
  port: number;
  /** The launcher's own process id. */
  pid: number;
  /** Its embedded Postgres and generated secrets. */
  dataDir: string;
  output(): string;
  /** The process id of its running api or worker child, if there is one right now. */
  childPid(name: 'api' | 'worker'): number | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (forwarded to api and worker), SIGKILL after 30 s; removes the data directory. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface LauncherOptions {
  /**
   * Set on top of the fresh machine's environment, e.g. a CUSTOS_QUEUE_PREFIX of the test's own, so
   * its worker never takes another run's jobs from the shared Redis, or a short CUSTOS_SWEEP_INTERVAL_MS.
   */
  env?: Record<string, string>;
}

/**
 * The README's run command on a fresh machine: the built launcher (`npm start` after its build step)
 * with no database and no secrets configured, so embedded Postgres in a fresh data directory and
 * generated secrets, with the test environment's Redis. Resolves once it says it is running.
 */
export async function startLauncher(options: LauncherOptions = {}): Promise<RunningLauncher> {
  if (!existsSync(LAUNCHER_MAIN)) throw new Error(`${LAUNCHER_MAIN} is missing: run \`npm run build\` first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-launcher-'));
  const port = await (await runtime()).freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, CUSTOS_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) };
  for (const name of NOT_ON_A_FRESH_MACHINE) delete env[name];
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [LAUNCHER_MAIN], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-64_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const recent = (): string => output.split('\n').slice(-40).join('\n');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    return exited;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the launcher exited with ${child.exitCode}:\n${recent()}`);
    const status = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      () => 0,
    );
    // The launcher prints its summary once it has seen the api ready, a moment after this loop may.
    if (status === 200 && output.includes('Custos is running.')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`not ready after ${READY_TIMEOUT_MS} ms (last status ${status}):\n${recent()}`);
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  const childPid = (name: 'api' | 'worker'): number | undefined =>
    childProcesses(child.pid!).find((p) => p.command.endsWith(`/${name}/src/main.js`))?.pid;
  return { url, port, pid: child.pid!, dataDir, output: () => output, childPid, exited, stop };
}

/**
 * One more api instance of the launcher's installation, as an operator adds one beside `npm start`: the
 * built api with the very environment the launcher gave its own api (the embedded database's socket, the
 * generated secrets, Redis and the namespace in it), on a loopback port of its own. Stop it before the
 * launcher, whose stop removes the database it uses.
 */
export async function startSecondApi(launcher: RunningLauncher): Promise<RunningApi> {
  const api = launcher.childPid('api');
  if (api === undefined) throw new Error(`the launcher runs no api right now:\n${launcher.output().split('\n').slice(-40).join('\n')}`);
  const port = await (await runtime()).freeLoopbackPort();
  return startBuiltApi({ ...processEnvironment(api), HOST: '127.0.0.1', PORT: String(port) });
}
