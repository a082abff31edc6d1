import { NoRedisFound, type LocalRedis } from '@custos/runtime';
import { chooseQueueBackend } from './queue-backend-choice';

const found: LocalRedis = { url: 'redis://127.0.0.1:6379', started: false, stop: async () => undefined };
const answering = async (): Promise<LocalRedis> => found;
const noRedis = async (): Promise<LocalRedis> => {
  throw new NoRedisFound();
};

describe('chooseQueueBackend', () => {
  it('runs the queues on PostgreSQL when the machine has no Redis and none was asked for', async () => {
    expect(await chooseQueueBackend({ queueBackend: undefined, redisUrl: undefined }, noRedis)).toEqual({
      backend: 'postgres',
      reason: 'no Redis on this machine',
    });
  });

  it('prefers a Redis that answers', async () => {
    expect(await chooseQueueBackend({ queueBackend: undefined, redisUrl: undefined }, answering)).toMatchObject({ backend: 'redis', redis: found });
  });

  it('runs on PostgreSQL when asked to, without looking for Redis', async () => {
    const ensure = jest.fn(answering);
    expect(await chooseQueueBackend({ queueBackend: 'postgres', redisUrl: 'redis://10.0.0.1:6379' }, ensure)).toMatchObject({ backend: 'postgres' });
    expect(ensure).not.toHaveBeenCalled();
  });

  it('fails when the Redis the user chose is missing, rather than quietly running without it', async () => {
    await expect(chooseQueueBackend({ queueBackend: undefined, redisUrl: 'redis://127.0.0.1:9' }, noRedis)).rejects.toThrow(NoRedisFound);
    await expect(chooseQueueBackend({ queueBackend: 'redis', redisUrl: undefined }, noRedis)).rejects.toThrow(NoRedisFound);
  });

  it('does not hide other failures behind the fallback', async () => {
    const broken = async (): Promise<LocalRedis> => {
      throw new Error('redis-server exited with code 1');
    };
    await expect(chooseQueueBackend({ queueBackend: undefined, redisUrl: undefined }, broken)).rejects.toThrow('exited with code 1');
  });
});
