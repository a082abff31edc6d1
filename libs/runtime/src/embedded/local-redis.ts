import { findExecutable } from './process-utils';
import { redisProblem, startRedisServer } from './redis-server';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Nothing answers on the default port and no redis-server can be started: the caller may do without. */
export class NoRedisFound extends Error {
  constructor() {
    super(
      `Custos needs Redis: nothing answers at ${DEFAULT_REDIS_URL} and no redis-server binary is on PATH. ` +
        'Install Redis (e.g. `apt-get install redis-server`, or `brew install redis`), set REDIS_URL to a reachable Redis, ' +
        'or run the queues on PostgreSQL (CUSTOS_QUEUE_BACKEND=postgres).',
    );
    this.name = 'NoRedisFound';
  }
}

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
    const problem = await redisProblem(options.url);
    if (problem) throw new Error(`Redis at ${redact(options.url)} (REDIS_URL) does not answer: ${problem}`);
    return { url: options.url, stop: noop, started: false };
  }
  if ((options.probeDefault ?? true) && (await redisProblem(DEFAULT_REDIS_URL)) === null) {
    return { url: DEFAULT_REDIS_URL, stop: noop, started: false };
  }
  const binary = options.redisServer ?? findExecutable('redis-server');
  if (!binary) throw new NoRedisFound();
  const server = await startRedisServer({ binary, startTimeoutMs: options.startTimeoutMs });
  return { url: server.url, started: true, stop: () => server.stop() };
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
