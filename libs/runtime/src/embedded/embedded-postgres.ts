import { PGlite } from '@electric-sql/pglite';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PgliteWireServer } from './pglite-wire-server';

/** Only names the socket file (`.s.PGSQL.5432`, as Postgres does), so `psql -h <socketDir>` finds it. */
const SOCKET_PORT = 5432;
/** sun_path holds 108 bytes on Linux (104 on macOS and the BSDs), the final NUL included. */
const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps its files; created on the first start, reused afterwards. */
  dataDir: string;
  /**
   * The directory of the Unix socket it serves on. Created if missing and made owner-only (0700) if not:
   * whoever reaches the socket is superuser, with no password asked.
   */
  socketDir: string;
  /** At least the sum of every pool that connects. */
  maxConnections: number;
}

export interface EmbeddedPostgres {
  /**
   * A postgres:// URL for the normal pg driver: superuser `postgres`, no password, over the Unix socket
   * (its directory, percent-encoded, as the host, as libpq and pg-connection-string read it).
   */
  url: string;
  stop(): Promise<void>;
}

/**
 * Postgres without an installation: PGlite (Postgres compiled to WebAssembly) on files in dataDir, served
 * over the wire protocol so the api and worker use the same driver, migrations and row-level security as
 * with a real server. Every connection shares one backend, so statements run one at a time.
 *
 * PGlite asks no password and every connection is its superuser, so it is served on a Unix socket in an
 * owner-only directory, never on a TCP port: other users of the host cannot reach it, and file permissions
 * are the whole access control.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const socketDir = resolve(options.socketDir);
  const socketPath = join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `${socketPath} is too long for a Unix socket (${Buffer.byteLength(socketPath)} bytes, at most ${MAX_SOCKET_PATH_BYTES}): ` +
        'choose a data directory with a shorter path (CUSTOS_DATA_DIR)',
    );
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  const unlock = lockDataDir(dataDir);
  let db: PGlite | undefined;
  try {
    ensureOwnerOnlyDirectory(socketDir);
    // Left behind by a run that was killed; the data directory lock says no one else serves it now.
    rmSync(socketPath, { force: true });
    db = await PGlite.create({ dataDir });
    const server = new PgliteWireServer(db, { path: socketPath, maxConnections: options.maxConnections });
    await server.listen();
    const openDb = db;
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://postgres@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/postgres`,
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
 * Makes `dir` a directory only this user may enter, tightening one that exists. Refuses a symbolic link or
 * a directory of another user: either could put the socket where someone else can reach it.
 */
function ensureOwnerOnlyDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory: the embedded Postgres socket cannot go there`);
  if (process.getuid && stat.uid !== process.getuid()) {
    throw new Error(`${dir} belongs to another user (uid ${stat.uid}): the embedded Postgres socket cannot go there`);
  }
  if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
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
