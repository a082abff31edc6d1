import { randomBytes } from 'node:crypto';
import { RedisKeys } from '@custos/contracts';
import { ApiClient, startApi, type RunningApi } from '@custos/testing';
import { Redis } from 'ioredis';

/** Whether workers are alive, and how deep their queue is, shows in the api's /metrics. */
describe('worker visibility in /metrics', () => {
  const prefix = `{custos-vis-${randomBytes(4).toString('hex')}}`;
  const heartbeats = new RedisKeys(prefix).workerHeartbeat;
  const redis = new Redis(process.env.REDIS_URL!);
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ CUSTOS_QUEUE_PREFIX: prefix });
  });
  afterAll(async () => {
    await api.stop();
    await redis.del(heartbeats);
    redis.disconnect();
  });

  const metrics = async () => String((await new ApiClient(api.url).get('/metrics')).body);

  it('counts the workers whose heartbeat is recent, not stale ones', async () => {
    expect(await metrics()).toMatch(/^custos_workers_alive 0$/m);
    await redis.zadd(heartbeats, Date.now(), 'worker-a', Date.now() - 60_000, 'worker-gone');
    expect(await metrics()).toMatch(/^custos_workers_alive 1$/m);
  });

  it('shows the maintenance queue by job state', async () => {
    expect(await metrics()).toMatch(/^custos_queue_jobs\{queue="maintenance",state="failed"\} 0$/m);
  });
});
