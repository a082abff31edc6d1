import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * Loaded into the api with `node -r` when BENCH_CPU_PROF=1: each SIGWINCH starts or stops the V8
 * sampling profiler; a stop writes <BENCH_PROFILE_DIR>/profile-<pid>-<n>.cpuprofile. (`--cpu-prof` writes
 * nothing here: NestJS ends the process by re-raising SIGTERM;
 * and its enableShutdownHooks() also shuts down on SIGUSR2, hence SIGWINCH.)
 */
const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`cpu profile failed: ${error.message}\n`);
        return;
      }
      written += 1;
      const file = join(dir, `profile-${process.pid}-${written}.cpuprofile`);
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  });
}
