import { type ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { findExecutable, freeLoopbackPort } from './process-utils';

/**
 * The one way Custos starts a redis-server of its own: the launcher's local Redis, the test command's
 * Redis for a run, and a test's private Redis all come from here. In memory only (no RDB, no AOF: the
 * queues need no durability between local runs and nothing is written to the working directory), on
 * loopback. scripts/test.mjs loads this file through @swc-node/register, so it stays free of
 * workspace imports.
 */
export interface RedisServerOptions {
  /** The binary (default: `redis-server` on PATH). */
  binary?: string;
  /** The port (default: a free loopback port). */
  port?: number;
  /** How long it may take to answer PING (default 10 s). */
  startTimeoutMs?: number;
  /** Its own process group, so a terminal's Ctrl-C does not stop it before the processes using it have stopped. */
  detached?: boolean;
}

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Starts it again on the same port, empty (as a Redis restarted without persistence); resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, or e.g. SIGKILL for a crash; SIGKILL anyway after 5 s) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, commands get no answer, as with a hung server. */
  freeze(): void;
  thaw(): void;
}

/** Starts a redis-server and resolves once it answers PING; rejects with its output when it does not. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = options.binary ?? findExecutable('redis-server');
  if (!binary) {
    throw new Error(
      'no redis-server binary is on PATH. Install Redis (e.g. `apt-get install redis-server`, or `brew install redis`) ' +
        'or set REDIS_URL to a reachable Redis.',
    );
  }
  const port = options.port ?? (await freeLoopbackPort());
  const url = `redis://127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  // The server must not outlive the process that started it, even one that forgets to stop it.
  const killOnExit = (): void => {
    if (running()) child!.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const server: RedisServer = {
    url,
    port,
    async start() {
      if (running()) throw new Error(`redis-server on ${port} is already running`);
      child = await launch(binary, port, url, timeoutMs, options.detached ?? false);
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const current = child;
      if (!current || !running()) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      // A frozen server cannot act on SIGTERM.
      current.kill('SIGCONT');
      current.kill(signal);
      const timer = setTimeout(() => current.kill('SIGKILL'), 5_000);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    freeze() {
      if (running()) child!.kill('SIGSTOP');
    },
    thaw() {
      if (running()) child!.kill('SIGCONT');
    },
  };
  try {
    await server.start();
  } catch (error) {
    process.removeListener('exit', killOnExit);
    throw error;
  }
  return server;
}

async function launch(binary: string, port: number, url: string, timeoutMs: number, detached: boolean): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--port', String(port), '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached },
  );
  // The last few kB, for the error when it does not come up; kept short so a chatty server costs nothing.
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + timeoutMs;
  let problem: string | null = 'not started';
  while (Date.now() < deadline) {
    const outcome = await Promise.race([spawnError, new Promise<null>((resolve) => setTimeout(() => resolve(null), 100))]);
    if (outcome) throw new Error(`could not start ${binary}: ${outcome.message}`);
    if (exited()) break;
    problem = await redisProblem(url);
    if (problem === null) return child;
  }
  const gone = exited();
  if (!gone) child.kill('SIGKILL');
  throw new Error(`${binary} did not answer on ${url} (${gone ? 'it exited' : problem}):\n${output.trim()}`);
}

/** null when the Redis at `url` answers PING, else what went wrong (ECONNREFUSED, a timeout, ...). */
export async function redisProblem(url: string, connectTimeoutMs = 1_500): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    // After a refused connection ioredis would otherwise keep a 2 s timer alive for a socket already closed.
    disconnectTimeout: 50,
  });
  // The error event names the cause (ECONNREFUSED, ENOTFOUND); the rejection only says the connection closed.
  let cause: Error | undefined;
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === 'PONG' ? null : `unexpected reply ${reply}`;
  } catch (error) {
    return (cause ?? (error instanceof Error ? error : new Error(String(error)))).message;
  } finally {
    client.disconnect();
  }
}
