import { PGlite } from '@electric-sql/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PgliteWireServer } from './pglite-wire-server';

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; created on the first start, reused afterwards. */
  dataDir: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** At least the sum of every pool that connects. */
  maxConnections: number;
}

export interface EmbeddedPostgres {
  /** A postgres:// URL for the normal pg driver (superuser `postgres`, no password, loopback only). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Postgres without an installation: PGlite (Postgres compiled to WebAssembly) on files in dataDir, served
 * over the wire protocol so the api and worker use the same driver, migrations and row-level security as
 * with a real server. Every connection shares one backend, so statements run one at a time.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  mkdirSync(dirname(dataDir), { recursive: true });
  const unlock = lockDataDir(dataDir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir });
    const server = new PgliteWireServer(db, { host, port: options.port ?? 0, maxConnections: options.maxConnections });
    const { port } = await server.listen();
    const openDb = db;
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
      stop: () =>
        (stopping ??= (async () => {
          try {
            await server.close();
            await openDb.close();
          } finally {
            unlock();
          }
        })()),
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}

/**
 * Two processes writing one PGlite directory corrupt it, and PGlite does not notice (it runs Postgres in
 * single-user mode). A lock file next to the directory holds the owner's pid; a stale one (its process
 * is gone, e.g. after a crash) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && isAlive(owner)) {
        throw new Error(`${dataDir} is in use by process ${owner} (lock file ${lockPath}); stop it first`);
      }
      unlinkSync(lockPath);
    }
  }
  throw new Error(`could not lock ${dataDir} (lock file ${lockPath})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
