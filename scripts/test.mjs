#!/usr/bin/env node
// `npm test`: checks that package-lock.json matches package.json, brings up what the tests need
// (Postgres, Redis), runs lint and typecheck side by side, then build and jest, and leaves nothing running
// that it started.
//
//   npm test                        every step; jest in two phases (jest.config.cjs): the suites that
//                                   may share the database, in parallel, then those running alone
//   npm test -- libs/domain         extra arguments go to jest, which then runs the selected suites one at a time
//   CUSTOS_TEST_STEPS=jest npm test only some steps (comma list of lockfile, lint, typecheck, build, jest)
//
// Postgres: TEST_DATABASE_ADMIN_URL, else postgres://postgres@127.0.0.1:5432/postgres. If that is local
// and does not answer, the installed Debian cluster is started (and stopped again afterwards).
// Redis: REDIS_URL, else redis://127.0.0.1:6379. If it does not answer, a throwaway redis-server runs
// on a free port for this run.
// Chromium (browser tests in apps/dashboard-e2e): CUSTOS_CHROMIUM, else Debian's /usr/bin/chromium,
// installed with apt-get when missing and this runs as root (a browser download never works here).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = {
  lockfile: checkLockfile,
  lint: ['npm', ['run', 'lint']],
  typecheck: ['npm', ['run', 'typecheck']],
  build: ['npm', ['run', 'build']],
  jest: [process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci', ...process.argv.slice(2)]],
};
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

const cleanups = [];
/** The steps' processes running now: a signal is passed on to each. */
const running = new Set();
let interrupted = null;

const log = (line) => process.stdout.write(`[test] ${line}\n`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function selectedSteps() {
  const wanted = process.env.CUSTOS_TEST_STEPS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted) return Object.keys(STEPS);
  const unknown = wanted.filter((s) => !(s in STEPS));
  if (unknown.length > 0) {
    throw new Error(`CUSTOS_TEST_STEPS: unknown step(s) ${unknown.join(', ')}; choose from ${Object.keys(STEPS).join(', ')}`);
  }
  return Object.keys(STEPS).filter((s) => wanted.includes(s));
}

/**
 * The one Redis launcher and free-port helper are TypeScript (libs/runtime/src/embedded). This script runs
 * before any build, so it loads them through @swc-node/register (as embedded-postgres.int-spec does), and
 * only when a step needs them.
 */
let runtime;
function embeddedRuntime() {
  if (!runtime) {
    const require = createRequire(import.meta.url);
    require('@swc-node/register');
    runtime = {
      ...require('../libs/runtime/src/embedded/process-utils.ts'),
      ...require('../libs/runtime/src/embedded/redis-server.ts'),
    };
  }
  return runtime;
}

function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** null when Postgres accepts a connection, else the error (with its code, e.g. ECONNREFUSED). */
async function pgProblem(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return { code: error.code, message: error.message || error.code || String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensurePostgres() {
  const url = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const problem = await pgProblem(url);
  if (problem === null) {
    log(`Postgres: ${redact(url)}`);
    return url;
  }
  // Only a server that is not running can be helped by starting it; a refused login cannot.
  const down = problem.code === 'ECONNREFUSED' && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  const pgCtl = down ? embeddedRuntime().findExecutable('pg_ctlcluster') : undefined;
  const version = pgCtl ? installedClusterVersion() : undefined;
  if (!pgCtl || !version) {
    throw new Error(
      `Postgres at ${redact(url)} cannot be used (${problem.message}). Start PostgreSQL (e.g. \`apt-get install postgresql\`, ` +
        'then `pg_ctlcluster --skip-systemctl-redirect <version> main start`) or set TEST_DATABASE_ADMIN_URL to a ' +
        'superuser URL of a reachable server.',
    );
  }
  log(`Postgres does not answer at ${redact(url)} (${problem.message}); starting cluster ${version}/main`);
  const cluster = (action) =>
    spawnSync(pgCtl, ['--skip-systemctl-redirect', version, 'main', action], { stdio: 'inherit' }).status;
  if (cluster('start') !== 0) {
    throw new Error(`could not start cluster ${version}/main (see pg_ctlcluster's output above; it needs root or postgres)`);
  }
  cleanups.push(async () => {
    log(`stopping Postgres cluster ${version}/main (started by this run)`);
    cluster('stop');
  });
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(500)) {
    if ((await pgProblem(url)) === null) return url;
  }
  throw new Error(`Postgres cluster ${version}/main started but ${redact(url)} still does not answer`);
}

function installedClusterVersion() {
  try {
    const versions = readdirSync('/etc/postgresql').filter((v) => /^\d+(\.\d+)?$/.test(v));
    return versions.sort((a, b) => Number(b) - Number(a))[0];
  } catch {
    return undefined;
  }
}

async function ensureRedis() {
  const { findExecutable, redisProblem, startRedisServer } = embeddedRuntime();
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const problem = await redisProblem(url, 2_000);
  if (problem === null) {
    log(`Redis: ${redact(url)}`);
    return url;
  }
  if (!findExecutable('redis-server')) {
    throw new Error(
      `Redis is not reachable at ${redact(url)} (${problem}) and no redis-server is on PATH. ` +
        'Install Redis (e.g. `apt-get install redis-server`) or set REDIS_URL to a reachable Redis.',
    );
  }
  // Its own process group: a Ctrl-C must not stop it before the tests using it have stopped.
  const server = await startRedisServer({ detached: true });
  cleanups.push(async () => {
    await server.stop();
    log('stopped the redis-server of this run');
  });
  log(`Redis does not answer at ${redact(url)} (${problem}); started redis-server for this run at ${server.url}`);
  return server.url;
}

/** True unless jest was limited to projects without browser tests (`--selectProjects unit`). */
function jestRunsBrowserTests() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--selectProjects');
  if (at === -1) return true;
  const projects = [];
  for (let i = at + 1; i < args.length && !args[i].startsWith('-'); i++) projects.push(args[i]);
  return projects.includes('integration');
}

async function ensureChromium() {
  const path = process.env.CUSTOS_CHROMIUM || '/usr/bin/chromium';
  if (existsSync(path)) {
    log(`Chromium: ${path}`);
    return path;
  }
  const aptGet = embeddedRuntime().findExecutable('apt-get');
  if (!process.env.CUSTOS_CHROMIUM && aptGet && process.getuid?.() === 0) {
    log(`Chromium is missing at ${path}; installing Debian's package (apt-get install -y chromium)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => spawnSync(aptGet, ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env }).status;
    // A fresh machine may have no package lists yet.
    if (install() !== 0) {
      spawnSync(aptGet, ['update', '-q'], { stdio: 'inherit', env });
      install();
    }
    if (existsSync(path)) return path;
  }
  throw new Error(
    `The browser tests need Chromium at ${path} and it is not there. Install Debian's package ` +
      '(`apt-get install -y chromium`, as root), set CUSTOS_CHROMIUM to a chromium binary, or run only ' +
      '`npm test -- --selectProjects unit`.',
  );
}

/**
 * package-lock.json must pin what package.json (and each workspace's) asks for, or `npm ci` refuses to
 * install: in CI, in the Docker images, on a fresh clone. `npm ci --dry-run` is npm's own check and
 * touches no node_modules; with the lockfile in sync it needs no registry and takes a few seconds.
 */
async function checkLockfile() {
  const result = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status === 0) return 0;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`;
  // npm names each disagreement on a line of its own ("Missing: x@1 from lock file", "Invalid: lock file's x@1 does not satisfy x@^2").
  const disagreements = output
    .split('\n')
    .map((line) => line.replace(/^npm error\s*/, ''))
    .filter((line) => /^(Missing|Invalid):/.test(line));
  if (disagreements.length > 0) {
    log('lockfile: package.json and package-lock.json disagree, so `npm ci` (CI, the Docker images, a fresh clone) would refuse to install:');
    for (const line of new Set(disagreements)) log(`  ${line}`);
    log('lockfile: run `npm install` to bring package-lock.json up to date, and commit it with package.json.');
  } else {
    log('lockfile: `npm ci --dry-run` failed:');
    for (const line of output.trim().split('\n').slice(-20)) log(`  ${line}`);
  }
  return 1;
}

/**
 * Jest's phases (jest.config.cjs) when it runs everything: both run, so one failing still shows the
 * other's results. The second uses the server the first built.
 */
async function runJest(env) {
  if (process.argv.length > 2) return run('jest', env);
  let failed = 0;
  for (const phase of ['parallel', 'alone']) {
    if (interrupted) break;
    const started = Date.now();
    log(`jest: ${phase === 'parallel' ? 'the suites that may share the database' : 'the suites running alone (@runsAlone)'}`);
    const code = await run('jest', { ...env, CUSTOS_TEST_PHASE: phase, ...(phase === 'alone' ? { CUSTOS_TEST_SKIP_BUILD: 'true' } : {}) });
    log(`jest (${phase}): ${code === 0 ? 'passed' : `FAILED with exit code ${code}`} in ${seconds(started)}`);
    failed ||= code;
  }
  return failed;
}

function run(name, env, { quiet = false } = {}) {
  if (typeof STEPS[name] === 'function') return STEPS[name]();
  const [command, args] = STEPS[name];
  return new Promise((resolve) => {
    // Quiet: its output is held and printed in one piece once it ends, as steps running side by side would interleave.
    const child = spawn(command, args, { cwd: ROOT, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output = [];
    if (quiet) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => output.push(chunk));
    running.add(child);
    const flush = () => {
      if (output.length > 0) process.stdout.write(Buffer.concat(output));
    };
    child.once('error', (error) => {
      running.delete(child);
      flush();
      log(`${name}: ${error.message}`);
      resolve(127);
    });
    child.once('close', (code, signal) => {
      running.delete(child);
      flush();
      resolve(code ?? SIGNAL_EXIT[signal] ?? 1);
    });
  });
}

/**
 * Lint and typecheck read the same sources and change nothing, and each keeps one core busy: run side
 * by side they take about as long as lint alone (78 s on 2 cores, against 107 s one after the other).
 */
const SIDE_BY_SIDE = ['lint', 'typecheck'];

/** The steps in the order they run: a group of steps runs side by side. */
function stages(steps) {
  const together = steps.filter((step) => SIDE_BY_SIDE.includes(step));
  const out = [];
  for (const step of steps) {
    if (!SIDE_BY_SIDE.includes(step) || together.length < 2) out.push([step]);
    else if (step === together[0]) out.push(together);
  }
  return out;
}

/** A scratch directory for this run's suites to share what they would each make alike (the packed SDK). */
function runDirectory() {
  const dir = mkdtempSync(join(tmpdir(), 'custos-test-run-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function main() {
  const steps = selectedSteps();
  const env = { ...process.env };
  let servicesUp = false;
  const timings = [];
  for (const stage of stages(steps)) {
    if (interrupted) return SIGNAL_EXIT[interrupted];
    // After the lockfile check, which fails in seconds and needs none of them.
    if (!stage.includes('lockfile') && !servicesUp && steps.includes('jest')) {
      servicesUp = true;
      env.TEST_DATABASE_ADMIN_URL = await ensurePostgres();
      env.REDIS_URL = await ensureRedis();
      if (jestRunsBrowserTests()) env.CUSTOS_CHROMIUM = await ensureChromium();
      env.CUSTOS_TEST_RUN_DIR = runDirectory();
    }
    const codes = await Promise.all(
      stage.map(async (step) => {
        const started = Date.now();
        log(`${step}: starting`);
        const code = await (step === 'jest' ? runJest(env) : run(step, env, { quiet: stage.length > 1 }));
        timings.push(`${step} ${seconds(started)}`);
        if (!interrupted) log(code === 0 ? `${step}: passed in ${seconds(started)}` : `${step}: FAILED with exit code ${code} after ${seconds(started)}`);
        return code;
      }),
    );
    if (interrupted) return SIGNAL_EXIT[interrupted];
    const failed = codes.find((code) => code !== 0);
    if (failed !== undefined) return failed;
  }
  log(`all passed (${timings.join(', ')})`);
  return 0;
}

for (const signal of Object.keys(SIGNAL_EXIT)) {
  process.on(signal, () => {
    interrupted ??= signal;
    // A terminal's Ctrl-C reaches the step too; a SIGTERM sent to this script alone must be passed on.
    for (const child of running) child.kill(signal);
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch((error) => log(`cleanup failed: ${error.message}`));
  }
}
process.exit(exitCode);
