import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Supervised {
  name: string;
  process: ChildProcess;
  exited: Promise<ChildExit>;
}

/** The api and worker processes: started together, stopped together. */
export class ChildProcesses {
  private readonly children: Supervised[] = [];
  private resolveFirstExit: (exit: ChildExit) => void = () => undefined;
  /** The first child to exit, whenever that happens. */
  readonly firstExit = new Promise<ChildExit>((resolve) => (this.resolveFirstExit = resolve));

  constructor() {
    // Last resort if the launcher itself dies without stopping them (an uncaught error).
    process.once('exit', () => {
      for (const child of this.running()) child.process.kill('SIGKILL');
    });
  }

  /**
   * Runs `node <script>`. A process group of its own keeps a terminal's Ctrl-C away from it: the launcher
   * forwards one signal, so the child sees exactly one and shuts down gracefully instead of twice.
   */
  start(name: string, script: string, env: NodeJS.ProcessEnv): void {
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const exited = new Promise<ChildExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ name, code, signal }));
      child.once('error', () => resolve({ name, code: 127, signal: null }));
    });
    void exited.then((exit) => this.resolveFirstExit(exit));
    this.children.push({ name, process: child, exited });
  }

  /**
   * Sends `signal` to every running child, waits up to timeoutMs, then SIGKILLs the rest. Returns the
   * children that did not end on their own (exit code 0, or killed by the very signal they were sent).
   */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<ChildExit[]> {
    const running = this.running();
    for (const child of running) child.process.kill(signal);
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      const exits = await Promise.all(running.map((child) => child.exited));
      return exits.filter((exit) => exit.code !== 0 && exit.signal !== signal);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    for (const child of this.running()) child.process.kill('SIGKILL');
  }

  private running(): Supervised[] {
    return this.children.filter((child) => child.process.exitCode === null && child.process.signalCode === null);
  }
}
