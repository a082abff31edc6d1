import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';
import { findExecutable, freeLoopbackPort } from './process-utils';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface EnsureRedisOptions {
  /** A Redis the caller chose (REDIS_URL): used as is, and an error if it does not answer. */
  url?: string;
  /** Look for a Redis at 127.0.0.1:6379 before starting one (default true; tests turn it off). */
  probeDefault?: boolean;
  /** The binary to start when nothing answers (default: `redis-server` on PATH). */
  redisServer?: string;
  /** How long a started server may take to answer PING (default 10 s). */
  startTimeoutMs?: number;
}

export interface LocalRedis {
  url: string;
  /** Stops the Redis this call started; does nothing for one that was already running. */
  stop(): Promise<void>;
  /** Whether this call started the server. */
  started: boolean;
}

/**
 * A Redis for the local run command: the one in REDIS_URL, else one already on the default port, else a
 * throwaway child `redis-server` on a free loopback port (in memory only: the queues need no durability
 * between local runs, and nothing is written to the working directory).
 */
export async function ensureRedis(options: EnsureRedisOptions = {}): Promise<LocalRedis> {
  const noop = async (): Promise<void> => undefined;
  if (options.url) {
    const problem = await ping(options.url);
    if (problem) throw new Error(`Redis at ${redact(options.url)} (REDIS_URL) does not answer: ${problem}`);
    return { url: options.url, stop: noop, started: false };
  }
  if ((options.probeDefault ?? true) && (await ping(DEFAULT_REDIS_URL)) === null) {
    return { url: DEFAULT_REDIS_URL, stop: noop, started: false };
  }
  const binary = options.redisServer ?? findExecutable('redis-server');
  if (!binary) {
    throw new Error(
      `Custos needs Redis: nothing answers at ${DEFAULT_REDIS_URL} and no redis-server binary is on PATH. ` +
        'Install Redis (e.g. `apt-get install redis-server`, or `brew install redis`) or set REDIS_URL to a reachable Redis.',
    );
  }
  return startRedisServer(binary, options.startTimeoutMs ?? 10_000);
}

async function startRedisServer(binary: string, timeoutMs: number): Promise<LocalRedis> {
  const port = await freeLoopbackPort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    ['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--port', String(port), '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  child.once('exit', () => (exited = true));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const deadline = Date.now() + timeoutMs;
  let problem: string | null = 'not started';
  while (Date.now() < deadline) {
    const outcome = await Promise.race([
      spawnError,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 100)),
    ]);
    if (outcome) throw new Error(`could not start ${binary}: ${outcome.message}`);
    if (exited) break;
    problem = await ping(url);
    if (problem === null) {
      // Nothing reads the output any more; a full pipe would block the server.
      child.stdout?.resume();
      child.stderr?.resume();
      return { url, started: true, stop: () => stopChild(child) };
    }
  }
  await stopChild(child);
  throw new Error(`${binary} did not answer on ${url} (${exited ? 'it exited' : problem}):\n${output.trim()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** null when Redis answers PING, else what went wrong. */
async function ping(url: string): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_500,
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

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
