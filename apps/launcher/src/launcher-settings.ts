import { join, resolve } from 'node:path';

/** Pools of the two children in embedded mode: one PGlite backend serves them all, one statement at a time. */
export const EMBEDDED_API_POOL_SIZE = 4;
export const EMBEDDED_WORKER_POOL_SIZE = 2;
/** The launcher's own migration connection and a psql or two for whoever looks at the data. */
const EMBEDDED_SPARE_CONNECTIONS = 6;

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
}

export function readLauncherSettings(env: NodeJS.ProcessEnv): LauncherSettings {
  const dataDir = resolve(env.CUSTOS_DATA_DIR || '.custos');
  const embedded = !env.DATABASE_URL;
  const apiPoolSize = env.DATABASE_POOL_SIZE ?? (embedded ? String(EMBEDDED_API_POOL_SIZE) : undefined);
  const workerPoolSize = env.DATABASE_POOL_SIZE ?? (embedded ? String(EMBEDDED_WORKER_POOL_SIZE) : undefined);
  const pool = (size: string | undefined, fallback: number): number => {
    const n = Number.parseInt(size ?? '', 10);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    dataDir,
    embedded,
    pgDataDir: join(dataDir, 'pgdata'),
    pgSocketDir: join(dataDir, 'socket'),
    apiPoolSize,
    workerPoolSize,
    embeddedMaxConnections:
      pool(apiPoolSize, EMBEDDED_API_POOL_SIZE) + pool(workerPoolSize, EMBEDDED_WORKER_POOL_SIZE) + EMBEDDED_SPARE_CONNECTIONS,
    publicUrl: publicUrl(env.HOST || '127.0.0.1', env.PORT || '3000'),
    shutdownTimeoutMs: pool(env.CUSTOS_SHUTDOWN_TIMEOUT_MS, 15_000),
  };
}

/** A URL a browser on this machine can open: a wildcard bind address is reachable on loopback. */
function publicUrl(host: string, port: string): string {
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
