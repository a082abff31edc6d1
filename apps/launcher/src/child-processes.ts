import { type ChildProcess, spawn } from 'node:child_process';
import { RESTART_LIMITS, type RestartLimits, RestartPolicy } from './restart-policy';

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child that crashed too often in a short time, with its last exit. */
export interface GaveUp {
  exit: ChildExit;
  crashesInWindow: number;
  windowMs: number;
}

/** One child: how to start it, its current process, and its crash history. */
interface Supervised {
  readonly name: string;
  readonly script: string;
  /** The same for every start, so a restarted child runs exactly as the first one did. */
  readonly env: NodeJS.ProcessEnv;
  readonly policy: RestartPolicy;
  process: ChildProcess;
  exited: Promise<ChildExit>;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * The api and worker processes, supervised. A child that exits without being asked to is started again
 * after a backoff while the other keeps running; one that crashes again and again is left down and
 * reported through `gaveUp`, for the launcher to stop the rest. Once `stop()` is called nothing is
 * started again.
 */
export class ChildProcesses {
  private readonly children: Supervised[] = [];
  private stopping = false;
  private resolveGaveUp: (gaveUp: GaveUp) => void = () => undefined;
  readonly gaveUp = new Promise<GaveUp>((resolve) => (this.resolveGaveUp = resolve));

  constructor(
    private readonly say: (line: string) => void,
    private readonly limits: RestartLimits = RESTART_LIMITS,
  ) {
    // Last resort if the launcher itself dies without stopping them (an uncaught error).
    process.once('exit', () => {
      for (const child of this.running()) child.process.kill('SIGKILL');
    });
  }

  start(name: string, script: string, env: NodeJS.ProcessEnv): void {
    const policy = new RestartPolicy(this.limits);
    const child: Supervised = { name, script, env, policy, restartTimer: undefined, ...this.spawn(name, script, env) };
    this.children.push(child);
    this.superviseRun(child);
  }

  /**
   * Sends `signal` to every running child, waits up to timeoutMs, then SIGKILLs the rest. Returns the
   * children that did not end on their own (exit code 0, or killed by the very signal they were sent).
   */
  async stop(signal: NodeJS.Signals, timeoutMs: number): Promise<ChildExit[]> {
    this.endSupervision();
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
    this.endSupervision();
    for (const child of this.running()) child.process.kill('SIGKILL');
  }

  /**
   * Runs `node <script>`. A process group of its own keeps a terminal's Ctrl-C away from it: the launcher
   * forwards one signal, so the child sees exactly one and shuts down gracefully instead of twice.
   */
  private spawn(name: string, script: string, env: NodeJS.ProcessEnv): Pick<Supervised, 'process' | 'exited'> {
    const started = spawn(process.execPath, [script], { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const exited = new Promise<ChildExit>((resolve) => {
      started.once('exit', (code, signal) => resolve({ name, code, signal }));
      started.once('error', () => resolve({ name, code: 127, signal: null }));
    });
    if (started.pid !== undefined) this.say(`the ${name} process started (pid ${started.pid})`);
    return { process: started, exited };
  }

  private superviseRun(child: Supervised): void {
    void child.exited.then((exit) => this.onExit(child, exit));
  }

  private onExit(child: Supervised, exit: ChildExit): void {
    if (this.stopping) return;
    const decision = child.policy.onCrash(Date.now());
    if (!decision.restart) {
      this.resolveGaveUp({ exit, crashesInWindow: decision.crashesInWindow, windowMs: this.limits.windowMs });
      return;
    }
    this.say(
      `${describeExit(exit, 'exited unexpectedly')}: starting it again in ${decision.delayMs} ms ` +
        `(crash ${decision.crashesInWindow} in the last ${this.limits.windowMs / 1000} s; at ${this.limits.maxCrashes} the launcher gives up)`,
    );
    child.restartTimer = setTimeout(() => {
      child.restartTimer = undefined;
      if (this.stopping) return;
      Object.assign(child, this.spawn(child.name, child.script, child.env));
      this.superviseRun(child);
    }, decision.delayMs);
  }

  private endSupervision(): void {
    this.stopping = true;
    for (const child of this.children) clearTimeout(child.restartTimer);
  }

  private running(): Supervised[] {
    return this.children.filter((child) => child.process.exitCode === null && child.process.signalCode === null);
  }
}

export function describeExit(exit: ChildExit, what: string): string {
  return `the ${exit.name} process ${what} (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`})`;
}
