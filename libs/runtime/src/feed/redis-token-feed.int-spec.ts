import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@custos/contracts';
import { Redis } from 'ioredis';
import { compareIds, RedisTokenFeed } from './redis-token-feed';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A follower that writes down what it is told. */
class Heard {
  entries: Array<{ id: string; event: string; data: object }> = [];
  cursors: string[] = [];
  resets: string[] = [];
  ended = 0;

  entry(e: { id: string; event: string; data: object }): void {
    this.entries.push(e);
  }
  caughtUp(cursor: string): void {
    this.cursors.push(cursor);
  }
  reset(cursor: string): void {
    this.resets.push(cursor);
  }
  end(): void {
    this.ended += 1;
  }
}

const listener = () => new Heard();

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const revoked = (tokenId: string) => ({ event: 'token' as const, data: { kind: 'revoked', tokenId, lookupId: `lk${tokenId}`, at: new Date().toISOString() } });

/** The events feed on Redis Streams, as two api instances and a worker share it. */
describe('RedisTokenFeed', () => {
  const prefix = `feed-test-${randomBytes(4).toString('hex')}`;
  const connections: Redis[] = [];
  const feeds: RedisTokenFeed[] = [];

  function instance(name: string, retentionMs = 3_600_000): RedisTokenFeed {
    const redis = new Redis(REDIS_URL);
    connections.push(redis);
    const feed = new RedisTokenFeed(redis, REDIS_URL, (tenantId) => `${prefix}:${tenantId}`, retentionMs, `${prefix}-${name}`);
    feeds.push(feed);
    return feed;
  }

  async function started(name: string): Promise<RedisTokenFeed> {
    const feed = instance(name);
    feed.start();
    await until(() => feed.following);
    return feed;
  }

  afterAll(async () => {
    for (const feed of feeds) await feed.close();
    const keys = await connections[0]!.keys(`${prefix}:*`);
    if (keys.length > 0) await connections[0]!.unlink(...keys);
    for (const redis of connections) redis.disconnect();
  });

  it("delivers what any process appends to every instance's followers of that tenant, in order, and nothing of another tenant", async () => {
    const [a, b] = [await started('a'), await started('b')];
    const worker = instance('worker');
    const onA = listener();
    const onB = listener();
    const stranger = listener();
    a.follow('t1', undefined, onA);
    b.follow('t1', undefined, onB);
    b.follow('t2', undefined, stranger);
    await until(() => onA.cursors.length === 1 && onB.cursors.length === 1 && stranger.cursors.length === 1);
    await a.append('t1', [revoked('1'), revoked('2')]);
    await worker.append('t1', [revoked('3')]);
    await until(() => onA.entries.length === 3 && onB.entries.length === 3);
    for (const heard of [onA, onB]) expect(heard.entries.map((e) => (e.data as { tokenId: string }).tokenId)).toEqual(['1', '2', '3']);
    expect(onA.entries.map((e) => e.id)).toEqual(onB.entries.map((e) => e.id));
    expect(compareIds(onA.entries[0]!.id, onA.entries[2]!.id)).toBeLessThan(0);
    expect(stranger.entries).toEqual([]);
  });

  it('resumes a follower after its last event, even while others of its tenant are live, and resets one that asks for what is no longer kept', async () => {
    const feed = await started('resume');
    const live = listener();
    feed.follow('t3', undefined, live);
    await until(() => live.cursors.length === 1);
    await feed.append('t3', [revoked('a')]);
    await until(() => live.entries.length === 1);
    const seen = live.entries[0]!.id;
    await feed.append('t3', [revoked('b'), revoked('c')]);
    const resumed = listener();
    feed.follow('t3', seen, resumed);
    await until(() => resumed.cursors.length === 1);
    await feed.append('t3', [revoked('d')]);
    await until(() => resumed.entries.length === 3 && live.entries.length === 4);
    expect(resumed.entries.map((e) => (e.data as { tokenId: string }).tokenId)).toEqual(['b', 'c', 'd']);
    expect(resumed.cursors).toEqual([live.entries[2]!.id]);

    const stale = listener();
    feed.follow('t3', '1-0', stale);
    await until(() => stale.cursors.length === 1);
    expect(stale.resets).toEqual([live.entries[3]!.id]);
    expect(stale.entries).toEqual([]);
  });

  it('ends every follower when it cannot hear the stream, refuses new ones until it can, then serves again', async () => {
    const feed = await started('outage');
    const heard = listener();
    feed.follow('t4', undefined, heard);
    await until(() => heard.cursors.length === 1);
    const admin = new Redis(REDIS_URL);
    connections.push(admin);
    const clients = (await admin.client('LIST')) as string;
    const reader = clients.split('\n').find((line) => line.includes(`name=${prefix}-outage`));
    expect(reader).toBeDefined();
    await admin.client('KILL', 'ID', /id=(\d+)/.exec(reader!)![1]!);
    await until(() => heard.ended === 1);
    // Reconnecting takes at least the first retry's 100 ms: until then, nobody is promised a complete feed.
    expect(() => feed.follow('t4', undefined, listener())).toThrow(expect.objectContaining({ code: ErrorCode.UNAVAILABLE }));
    await until(() => feed.following, 5000);
    const again = listener();
    feed.follow('t4', undefined, again);
    await until(() => again.cursors.length === 1);
    await feed.append('t4', [revoked('x')]);
    await until(() => again.entries.length === 1);
  });

  it("expires a tenant's stream after a retention without news", async () => {
    const feed = instance('retention', 60_000);
    const redis = connections[connections.length - 1]!;
    await feed.append('t5', [revoked('old')]);
    const ttl = await redis.pttl(`${prefix}:t5`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
