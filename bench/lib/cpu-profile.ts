import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildServer } from './processes';

/** Drives lib/cpu-profile-preload in a child: start, then stop and keep the profile as <label>.cpuprofile. */
export class CpuProfiler {
  private written = 0;

  constructor(
    readonly dir: string,
    private readonly server: () => ChildServer,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  start(): void {
    process.kill(this.server().pid, 'SIGWINCH');
  }

  async stop(label: string): Promise<string> {
    process.kill(this.server().pid, 'SIGWINCH');
    this.written += 1;
    const file = join(this.dir, `profile-${this.server().pid}-${this.written}.cpuprofile`);
    const deadline = Date.now() + 15_000;
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`no cpu profile at ${file}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const target = join(this.dir, `${label}.cpuprofile`);
    renameSync(file, target);
    return target;
  }
}
