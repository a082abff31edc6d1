import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { RedisKeys, WORKER_HEARTBEAT_MS, WORKER_STALE_AFTER_MS } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import { Redis } from 'ioredis';
import { WORKER_CONFIG } from './worker-config';

/**
 * Tells the api this worker is alive (shown as custos_workers_alive in /metrics). In Redis: with the
 * queues on Postgres there is no heartbeat (and no such series).
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  private readonly id = randomUUID();
  private readonly key: string;
  private readonly redis: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(WORKER_CONFIG) config: CustosConfig, keys: RedisKeys) {
    this.key = keys.workerHeartbeat;
    this.redis =
      config.CUSTOS_QUEUE_BACKEND === 'redis'
        ? new Redis(config.REDIS_URL, { connectionName: 'custos-worker-heartbeat', maxRetriesPerRequest: 1 })
        : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis) return;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), WORKER_HEARTBEAT_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (!this.redis) return;
    await this.redis.zrem(this.key, this.id).catch(() => undefined);
    await this.redis.quit();
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    try {
      await this.redis!.multi().zadd(this.key, now, this.id).zremrangebyscore(this.key, 0, now - WORKER_STALE_AFTER_MS).exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat not written');
    }
  }
}
