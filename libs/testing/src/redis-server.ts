import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './api-process';

/**
 * A redis-server of the test's own, on a spare port, without persistence: stopping it loses
 * everything, and `start()` brings back an empty one on the same port (what a Redis restarted
 * without persistence, or failed over to an empty replica, looks like to its clients).
 */
export interface TestRedisServer {
  readonly url: string;
  readonly port: number;
  /** Starts it again on the same port, empty; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, or SIGKILL for a crash) and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, commands get no answer, as with a hung server. */
  freeze(): void;
  thaw(): void;
  /** A client for the test's own checks; the caller disconnects it. */
  client(): Redis;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function startRedisServer(): Promise<TestRedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  // The server must not outlive the test process, even when the test forgets to stop it.
  const killOnExit = () => {
    if (running()) child!.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const server: TestRedisServer = {
    url,
    port,
    async start() {
      if (running()) throw new Error(`redis-server on ${port} is already running`);
      let output = '';
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child = started;
      const deadline = Date.now() + 10_000;
      while (!(await answers(url))) {
        if (started.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${started.exitCode}:\n${output}`);
        if (Date.now() > deadline) {
          started.kill('SIGKILL');
          throw new Error(`redis-server on ${port} did not answer within 10 s:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const current = child;
      if (!current || !running()) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      // A frozen server cannot act on SIGTERM.
      current.kill('SIGCONT');
      current.kill(signal);
      await exited;
    },
    freeze() {
      if (running()) child!.kill('SIGSTOP');
    },
    thaw() {
      if (running()) child!.kill('SIGCONT');
    },
    client() {
      return new Redis(url, { maxRetriesPerRequest: 1 });
    },
  };
  await server.start();
  return server;
}

/** Deletes the keys a test left in a shared Redis, e.g. every key under its own queue prefix. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    for await (const keys of client.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await client.unlink(...keys);
    }
  } finally {
    client.disconnect();
  }
}

/**
 * Deletes every key of an installation's namespace (queues, schedules, heartbeats), so the shared Redis
 * keeps nothing of a test database that is gone.
 */
export function deleteRedisNamespace(namespace: string, url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<void> {
  // RedisKeys allows no glob characters in a namespace: it can stand in the pattern as it is.
  return deleteRedisKeys(url, `${namespace}*`);
}
