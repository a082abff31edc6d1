/**
 * `npm start`: everything Custos needs in one command. With no DATABASE_URL it runs Postgres embedded
 * (PGlite files under the data directory) and generates local secrets; it uses or starts a Redis; it
 * applies the migrations once; then it runs the api and the worker as child processes until a signal,
 * starting a crashed one again (see restart-policy.ts) unless it crashes again and again.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMigrations } from '@custos/persistence';
import {
  ConfigError,
  ensureRedis,
  type EmbeddedPostgres,
  loadConfig,
  loadOrCreateLocalSecrets,
  migrateQueueSchema,
  QUEUE_SCHEMA,
  startEmbeddedPostgres,
} from '@custos/runtime';
import { ChildProcesses, describeExit } from './child-processes';
import { describeDatabaseUrl, EMBEDDED_QUEUE_CONNECTIONS, type LauncherSettings, readLauncherSettings } from './launcher-settings';
import { chooseQueueBackend } from './queue-backend-choice';

const say = (line: string): void => {
  process.stdout.write(`[custos] ${line}\n`);
};

/** Signals end the run; a second one a moment later (not the duplicate a shell may send) kills at once. */
class StopRequest {
  signal: NodeJS.Signals | null = null;
  private at = 0;
  private resolveRequested: (signal: NodeJS.Signals) => void = () => undefined;
  readonly requested = new Promise<NodeJS.Signals>((resolve) => (this.resolveRequested = resolve));

  constructor(onImpatient: () => void) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        if (this.signal === null) {
          this.signal = signal;
          this.at = Date.now();
          say(`${signal} received: stopping`);
          this.resolveRequested(signal);
        } else if (Date.now() - this.at > 1_000) {
          say('stopping immediately');
          onImpatient();
        }
      });
    }
  }
}

async function main(): Promise<number> {
  const settings = readLauncherSettings(process.env);
  const children = new ChildProcesses(say);
  const stop = new StopRequest(() => children.kill());
  const cleanups: Array<() => Promise<void>> = [];
  // Compiled next to this file by `npm run build`; checked before the seconds of database set-up, not after.
  const dist = resolve(__dirname, '../..');
  const scripts = { api: join(dist, 'api/src/main.js'), worker: join(dist, 'worker/src/main.js') };
  for (const script of Object.values(scripts)) {
    if (!existsSync(script)) throw new Error(`${script} not found: run \`npm run build\` first`);
  }
  try {
    const childEnv = await prepare(settings, stop, cleanups);
    if (!childEnv) return 0;
    const queues =
      childEnv.CUSTOS_QUEUE_BACKEND === 'postgres'
        ? `PostgreSQL (schema ${QUEUE_SCHEMA}; ${childEnv.CUSTOS_QUEUE_BACKEND_REASON})`
        : `Redis at ${childEnv.REDIS_URL} (${childEnv.CUSTOS_QUEUE_BACKEND_REASON})`;
    delete childEnv.CUSTOS_QUEUE_BACKEND_REASON;

    children.start('api', scripts.api, { ...childEnv, DATABASE_POOL_SIZE: settings.apiPoolSize });
    children.start('worker', scripts.worker, { ...childEnv, DATABASE_POOL_SIZE: settings.workerPoolSize });
    void announceWhenReady(settings, stop, queues);

    const outcome = await Promise.race([stop.requested.then((signal) => ({ signal })), children.gaveUp]);
    if ('signal' in outcome) return (await stopChildren(children, outcome.signal, settings)) ? 0 : 1;
    const { exit, crashesInWindow, windowMs } = outcome;
    process.stderr.write(
      `[custos] ${describeExit(exit, 'exited unexpectedly')}, ${crashesInWindow} crashes within ${windowMs / 1000} s: ` +
        'giving up. Stopping the rest; its output above shows the cause.\n',
    );
    await stopChildren(children, 'SIGTERM', settings);
    return exit.code || 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => say(`cleanup failed: ${message(error)}`));
    }
    // Last, after the children drained and the embedded services closed: what a person waits to read.
    if (stop.signal !== null) say('stopped');
  }
}

/**
 * Database, Redis, secrets and schema. Returns the children's environment, or undefined when a signal
 * arrived meanwhile. Whatever it starts is registered in cleanups before anything else can fail.
 */
async function prepare(
  settings: LauncherSettings,
  stop: StopRequest,
  cleanups: Array<() => Promise<void>>,
): Promise<NodeJS.ProcessEnv | undefined> {
  const env: NodeJS.ProcessEnv = { ...process.env, CUSTOS_MIGRATE_ON_START: 'false' };
  let migrationUrl = settings.migrationUrl;

  // Redis first: it answers (or fails) in a moment, while creating the embedded database takes seconds.
  const choice = await chooseQueueBackend(settings, ensureRedis);
  env.CUSTOS_QUEUE_BACKEND = choice.backend;
  env.CUSTOS_QUEUE_BACKEND_REASON = choice.reason;
  if (choice.backend === 'redis') {
    const redis = choice.redis;
    cleanups.push(() => redis.stop());
    env.REDIS_URL = redis.url;
    if (redis.started) say(`started redis-server for this run at ${redis.url} (in memory only)`);
  } else {
    say(`queues on PostgreSQL (${choice.reason}); Redis stays the choice for production (docs/operations.md)`);
  }
  if (stop.signal) return undefined;

  if (settings.embedded) {
    mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
    say(
      existsSync(join(settings.pgDataDir, 'PG_VERSION'))
        ? `starting embedded Postgres in ${settings.pgDataDir}`
        : `creating embedded Postgres in ${settings.pgDataDir} (first start: this takes a few seconds)`,
    );
    const started = Date.now();
    const pg: EmbeddedPostgres = await startEmbeddedPostgres({
      dataDir: settings.pgDataDir,
      socketDir: settings.pgSocketDir,
      // The settings count queue connections only when CUSTOS_QUEUE_BACKEND said postgres; a fallback needs them too.
      maxConnections: settings.embeddedMaxConnections + (choice.backend === 'postgres' && settings.queueBackend !== 'postgres' ? EMBEDDED_QUEUE_CONNECTIONS : 0),
    });
    cleanups.push(() => pg.stop());
    say(`embedded Postgres ready in ${Date.now() - started} ms`);
    env.DATABASE_URL = pg.url;
    migrationUrl = pg.url;
    env.CUSTOS_EMBEDDED_DATABASE = 'true'; // Its only login is a superuser: the children accept it here, and log why.
    delete env.DATABASE_MIGRATION_URL;
    if (!settings.hasTokenPepper) {
      const secrets = loadOrCreateLocalSecrets(settings.dataDir);
      env.CUSTOS_TOKEN_PEPPER = secrets.tokenPepper;
      env.CUSTOS_TOKEN_PEPPER_ID ??= secrets.tokenPepperId;
      env.CUSTOS_MASTER_KEY ??= secrets.masterKey;
    }
  }
  if (stop.signal) return undefined;

  // The children would refuse the same settings; saying so before touching the schema is kinder.
  loadConfig({ ...env, DATABASE_POOL_SIZE: settings.apiPoolSize });

  // Set by now: the user's database (DATABASE_URL is what makes the run not embedded) or the embedded one.
  const target = migrationUrl!;
  const applied = await runMigrations(target);
  if (choice.backend === 'postgres') await migrateQueueSchema(target);
  say(
    applied.length > 0
      ? `applied ${applied.length} migration(s): ${applied.join(', ')}`
      : `database schema is up to date${settings.embedded ? '' : ` (${describeDatabaseUrl(target)})`}`,
  );
  return stop.signal ? undefined : env;
}

async function announceWhenReady(settings: LauncherSettings, stop: StopRequest, queues: string): Promise<void> {
  const readyUrl = new URL('health/ready', settings.publicUrl);
  const deadline = Date.now() + 120_000;
  while (!stop.signal && Date.now() < deadline) {
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (stop.signal) return;
  const ready = Date.now() < deadline;
  const firstAdmin = settings.adminEmail
    ? `log in as ${settings.adminEmail} with CUSTOS_ADMIN_PASSWORD`
    : 'open the URL and sign up (POST /v1/signup), or set CUSTOS_ADMIN_EMAIL and CUSTOS_ADMIN_PASSWORD before the first start';
  const data = settings.embedded
    ? `${settings.dataDir} (embedded Postgres in pgdata/, generated secrets in secrets.json: back both up together)`
    : `the database at ${describeDatabaseUrl(settings.databaseUrl ?? '')}`;
  process.stdout.write(
    [
      '',
      ready ? 'Custos is running.' : `Custos has not reported ready after 120 s; it may still be starting. Check ${readyUrl}`,
      `  Open:         ${settings.publicUrl}`,
      `  API docs:     ${new URL('docs', settings.publicUrl)}`,
      `  Data:         ${data}`,
      `  Queues:       ${queues}`,
      ...(settings.embedded ? [`  SQL shell:    psql -h ${settings.pgSocketDir} -U postgres   (this user only; no TCP port)`] : []),
      `  First admin:  ${firstAdmin}`,
      '  Stop:         Ctrl-C',
      '',
    ].join('\n') + '\n',
  );
}

/** Stops api and worker; says which did not stop cleanly, and returns whether both did. */
async function stopChildren(children: ChildProcesses, signal: NodeJS.Signals, settings: LauncherSettings): Promise<boolean> {
  const unclean = await children.stop(signal, settings.shutdownTimeoutMs);
  for (const exit of unclean) {
    say(`${describeExit(exit, 'did not stop cleanly')}${exit.signal === 'SIGKILL' ? ` within ${settings.shutdownTimeoutMs} ms` : ''}`);
  }
  return unclean.length === 0;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      error instanceof ConfigError ? `${error.message}\nSee docs/configuration.md.\n` : `[custos] failed to start: ${message(error)}\n`,
    );
    process.exit(1);
  },
);
