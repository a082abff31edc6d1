import { join, resolve } from 'node:path';
import { loadLauncherConfig } from '@custos/runtime';

/** Pools of the two children in embedded mode: one PGlite backend serves them all, one statement at a time. */
const EMBEDDED_API_POOL_SIZE = 4;
const EMBEDDED_WORKER_POOL_SIZE = 2;
/** The launcher's own migration connection and a psql or two for whoever looks at the data. */
const EMBEDDED_SPARE_CONNECTIONS = 6;
/**
 * With the queues on Postgres, each BullMQ handle has a connection of its own, and each worker a LISTEN
 * connection: the api has three handles and the invalidation channel, the worker two queues and two workers.
 */
export const EMBEDDED_QUEUE_CONNECTIONS = 24;

export interface LauncherSettings {
  dataDir: string;
  /** No DATABASE_URL: Postgres runs in-process on PGlite files under dataDir. */
  embedded: boolean;
  pgDataDir: string;
  /** Where the embedded Postgres serves its Unix socket: owner-only, no TCP port (see startEmbeddedPostgres). */
  pgSocketDir: string;
  apiPoolSize: string | undefined;
  workerPoolSize: string | undefined;
  embeddedMaxConnections: number;
  /** Where people open Custos; from HOST and PORT as the api reads them. */
  publicUrl: string;
  shutdownTimeoutMs: number;
  /** The external database (unset when embedded), and the schema owner's URL for migrations. */
  databaseUrl: string | undefined;
  migrationUrl: string | undefined;
  /** A Redis the user chose; unset: the default port's, or one started for the run. */
  redisUrl: string | undefined;
  /** The user's CUSTOS_QUEUE_BACKEND; unset: Redis when one answers or can be started, else PostgreSQL. */
  queueBackend: 'redis' | 'postgres' | undefined;
  /** Whether the user brought secrets; the embedded mode generates them otherwise. */
  hasTokenPepper: boolean;
  adminEmail: string | undefined;
}

/** The launcher's settings, through the config schema (ConfigError names a bad variable). */
export function readLauncherSettings(env: NodeJS.ProcessEnv): LauncherSettings {
  const config = loadLauncherConfig(env);
  const dataDir = resolve(config.CUSTOS_DATA_DIR);
  const embedded = config.DATABASE_URL === undefined;
  const chosenPool = config.DATABASE_POOL_SIZE;
  const apiPool = chosenPool ?? (embedded ? EMBEDDED_API_POOL_SIZE : undefined);
  const workerPool = chosenPool ?? (embedded ? EMBEDDED_WORKER_POOL_SIZE : undefined);
  return {
    dataDir,
    embedded,
    pgDataDir: join(dataDir, 'pgdata'),
    pgSocketDir: join(dataDir, 'socket'),
    apiPoolSize: apiPool === undefined ? undefined : String(apiPool),
    workerPoolSize: workerPool === undefined ? undefined : String(workerPool),
    embeddedMaxConnections:
      (apiPool ?? EMBEDDED_API_POOL_SIZE) +
      (workerPool ?? EMBEDDED_WORKER_POOL_SIZE) +
      EMBEDDED_SPARE_CONNECTIONS +
      (config.CUSTOS_QUEUE_BACKEND === 'redis' ? 0 : EMBEDDED_QUEUE_CONNECTIONS),
    publicUrl: publicUrl(config.HOST, config.PORT),
    shutdownTimeoutMs: config.CUSTOS_SHUTDOWN_TIMEOUT_MS,
    databaseUrl: config.DATABASE_URL,
    migrationUrl: config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    queueBackend: config.CUSTOS_QUEUE_BACKEND,
    hasTokenPepper: config.CUSTOS_TOKEN_PEPPER !== undefined,
    adminEmail: config.CUSTOS_ADMIN_EMAIL,
  };
}

/** A URL a browser on this machine can open: a wildcard bind address is reachable on loopback. */
function publicUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/`;
}

/** A database URL without its password, for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
