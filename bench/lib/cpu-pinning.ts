import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * CPUs for a server under test and for everything else (the load generator, Postgres, Redis), when the
 * machine has at least two: the server on CPU 0 alone, the rest on the others. As in production, where
 * the database and the clients are other machines, the server's throughput is then bound by its own
 * CPU, not by whatever else the one machine runs at the time. Null on a single CPU, or when
 * BENCH_PIN=0.
 */
export function cpuSplit(): { server: string; rest: string } | null {
  const cpus = availableParallelism();
  if (process.env.BENCH_PIN === '0' || cpus < 2) return null;
  return { server: '0', rest: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

/** Pins every thread of each process to `cpus` (taskset); a process gone meanwhile is skipped. */
export function pin(pids: readonly number[], cpus: string): void {
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    } catch {
      // Ended since it was listed, or a kernel thread taskset may not move: nothing to pin.
    }
  }
}
