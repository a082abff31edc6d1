import Redis from 'ioredis';
import { ensureRedis, type LocalRedis } from './local-redis';
import { freeLoopbackPort } from './process-utils';

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: 50,
  });
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

describe('ensureRedis', () => {
  let spawned: LocalRedis | undefined;
  afterEach(async () => {
    await spawned?.stop();
    spawned = undefined;
  });

  it('starts a redis-server child on a free loopback port when asked not to use the default one', async () => {
    spawned = await ensureRedis({ probeDefault: false });
    expect(spawned.started).toBe(true);
    expect(spawned.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(spawned.url).not.toBe('redis://127.0.0.1:6379');
    expect(await answers(spawned.url)).toBe(true);

    const { url } = spawned;
    await spawned.stop();
    spawned = undefined;
    expect(await answers(url)).toBe(false);
  });

  it('uses a reachable REDIS_URL as is and never stops it', async () => {
    spawned = await ensureRedis({ probeDefault: false });
    const given = await ensureRedis({ url: spawned.url });
    expect(given).toMatchObject({ url: spawned.url, started: false });
    await given.stop();
    expect(await answers(spawned.url)).toBe(true);
  });

  it('fails naming REDIS_URL when the given Redis does not answer', async () => {
    const port = await freeLoopbackPort();
    await expect(ensureRedis({ url: `redis://:hunter2@127.0.0.1:${port}` })).rejects.toThrow(
      new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(REDIS_URL\\) does not answer`),
    );
  });

  it('says how to get Redis when none answers and no redis-server is on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(ensureRedis({ probeDefault: false })).rejects.toThrow(/apt-get install redis-server.*REDIS_URL/s);
    } finally {
      process.env.PATH = path;
    }
  });

  it('reports the output of a redis-server that cannot start', async () => {
    await expect(ensureRedis({ probeDefault: false, redisServer: '/bin/false', startTimeoutMs: 3_000 })).rejects.toThrow(
      /\/bin\/false did not answer .*it exited/,
    );
  });
});
