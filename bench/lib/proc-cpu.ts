import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** Linux clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream kernel build). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in ms, from /proc; undefined where /proc is not there or the process is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU ms spent by a set of processes between start() and stop(). Processes named only at stop() were
 * born in between (a pool opening a connection) and count whole; one that exits in between is lost.
 */
class CpuMeter {
  private readonly before = new Map<number, number>();

  start(pids: readonly number[]): this {
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.before.set(pid, ms);
    }
    return this;
  }

  stop(pids: readonly number[] = []): number {
    let total = 0;
    for (const [pid, start] of this.before) total += (processCpuMs(pid) ?? start) - start;
    for (const pid of pids) if (!this.before.has(pid)) total += processCpuMs(pid) ?? 0;
    return total;
  }
}

/** CPU ms of this very process (the load generator) over a piece of work. */
async function selfCpuMs<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number }> {
  const start = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(start);
  return { result, cpuMs: (used.user + used.system) / 1000 };
}

/** Server processes (backends) currently connected to a database, optionally by application_name. */
export async function backendPids(ownerUrl: string, applicationName?: string): Promise<number[]> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND ($1::text IS NULL OR application_name = $1)`,
      [applicationName ?? null],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** CPU µs per successful operation, by process group. */
export interface CpuPerOp {
  /** The server under test (api or baseline process); 0 for the SQL baselines, which have none. */
  serverUs: number;
  /** The Postgres backends serving it. */
  postgresUs: number;
  /** This process: autocannon or the pg clients of the SQL baselines. */
  clientUs: number;
}

export interface Pids {
  server: readonly number[];
  postgres: readonly number[];
}

/**
 * Runs `work` and charges the CPU time of each process group to the operations it completed. `pids`
 * is asked before and after, so that backends a pool opened meanwhile are counted too.
 */
export async function withCpu<T>(
  pids: () => Promise<Pids>,
  work: () => Promise<T>,
  opsOf: (result: T) => number,
): Promise<{ result: T; cpu: CpuPerOp }> {
  const first = await pids();
  const server = new CpuMeter().start(first.server);
  const postgres = new CpuMeter().start(first.postgres);
  const { result, cpuMs } = await selfCpuMs(work);
  const last = await pids();
  const serverMs = server.stop(last.server);
  const postgresMs = postgres.stop(last.postgres);
  const ops = Math.max(1, opsOf(result));
  const us = (ms: number) => Math.round((ms * 1000) / ops);
  return { result, cpu: { serverUs: us(serverMs), postgresUs: us(postgresMs), clientUs: us(cpuMs) } };
}
