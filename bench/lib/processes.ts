import { spawn, type ChildProcess } from 'node:child_process';
import { freeLoopbackPort } from '@custos/runtime';

export interface ChildServer {
  name: string;
  url: string;
  pid: number;
  output(): string;
  /** Still running, or how it ended. */
  state(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Exit code 0, or ended by the SIGTERM it was sent (NestJS re-raises the signal after its shutdown hooks). */
  clean: boolean;
}

const running = new Set<ChildServer>();


/**
 * Starts `node <script>` listening on 127.0.0.1:<free port> (passed as PORT) and waits until
 * GET <readyPath> answers 200.
 */
export async function startNodeServer(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  readyPath: string;
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<ChildServer> {
  const port = await freeLoopbackPort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    // Keep the tail only: a chatty process must not grow the bench's memory.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let killed = false;
  const exited = new Promise<ExitStatus>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve({ code, signal, clean: !killed && (code === 0 || signal === 'SIGTERM') }),
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: ChildServer = {
    name: options.name,
    url,
    pid: child.pid ?? -1,
    output: () => output,
    state: () =>
      child.exitCode === null && child.signalCode === null ? 'running' : `exited (code ${child.exitCode}, signal ${child.signalCode})`,
    async stop(graceMs = 10_000) {
      running.delete(server);
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(server);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      running.delete(server);
      throw new Error(`${options.name} exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(url + options.readyPath);
      await response.arrayBuffer();
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop(1000);
      throw new Error(`${options.name} was not ready in ${options.timeoutMs ?? 30_000} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops every server this process started and has not stopped yet (error paths, Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop(5000)));
}
