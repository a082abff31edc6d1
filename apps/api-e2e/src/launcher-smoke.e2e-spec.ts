import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The README's run command on a fresh machine: `npm start` (after its build step) with no database and no
 * secrets configured, i.e. embedded Postgres, generated secrets, and the Redis of the test environment.
 */
const ROOT = resolve(__dirname, '../../..');
const LAUNCHER = join(ROOT, 'dist/apps/launcher/src/main.js');
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}

describe('npm start (launcher) in embedded mode', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-launcher-'));
  let port: number;
  let base: string;
  let launcher: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let output = '';
  const recentOutput = (): string => output.split('\n').slice(-40).join('\n');

  beforeAll(async () => {
    if (!existsSync(LAUNCHER)) {
      throw new Error(`${LAUNCHER} is missing: run \`npm run build\` before the integration tests`);
    }
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, CUSTOS_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) };
    for (const name of NOT_ON_A_FRESH_MACHINE) delete env[name];

    launcher = spawn(process.execPath, [LAUNCHER], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-64_000);
    };
    launcher.stdout!.on('data', keep);
    launcher.stderr!.on('data', keep);
    exited = new Promise((done) => launcher!.once('exit', (code, signal) => done({ code, signal })));

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited with ${launcher.exitCode}:\n${recentOutput()}`);
      const status = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status,
        () => 0,
      );
      // The launcher prints its summary once it has seen the api ready, a moment after this loop may.
      if (status === 200 && output.includes('Custos is running.')) break;
      if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS} ms (last status ${status}):\n${recentOutput()}`);
      await new Promise((done) => setTimeout(done, 500));
    }
  }, READY_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      // It forwards SIGTERM to the api and worker, which run in process groups of their own.
      launcher.kill('SIGTERM');
      const timer = setTimeout(() => launcher?.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('prints where to open Custos, its API docs, where data lives and how to get the first admin', () => {
    expect(output).toContain(`http://127.0.0.1:${port}/`);
    expect(output).toContain(`http://127.0.0.1:${port}/docs`);
    expect(output).toContain(dataDir);
    expect(output).toContain('POST /v1/signup');
  });

  it('serves the dashboard at /', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('signs up the first organization and its owner', async () => {
    const response = await fetch(`${base}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization: 'Smoke Test', email: 'owner@smoke.test', password: 'a long enough password' }),
    });
    expect({ status: response.status, body: await response.text() }).toMatchObject({ status: 201 });
  });

  it('never prints the generated secrets', () => {
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(secrets).sort()).toEqual(['masterKey', 'tokenPepper', 'tokenPepperId']);
    expect(output).not.toContain(secrets.tokenPepper);
    expect(output).not.toContain(secrets.masterKey);
  });

  it('stops on SIGTERM with exit code 0 and leaves nothing listening', async () => {
    launcher!.kill('SIGTERM');
    const timer = setTimeout(() => launcher?.kill('SIGKILL'), 45_000);
    const exit = await exited;
    clearTimeout(timer);
    expect({ ...exit, output: exit.code === 0 ? '' : recentOutput() }).toEqual({ code: 0, signal: null, output: '' });
    expect(await listening(port)).toBe(false);
  }, 60_000);
});
