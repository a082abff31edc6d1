import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { QUEUES, RedisKeys, WORKER_STALE_AFTER_MS } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { REDIS, apiQueueConnection, closeQueue } from '../infrastructure/redis.provider';
import { MetricsService } from './metrics.service';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Queue depth and (with Redis) worker liveness in /metrics, read at scrape time. */
@Injectable()
export class WorkerMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly queue: Queue;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(CUSTOS_CONFIG) config: CustosConfig,
    private readonly keys: RedisKeys,
  ) {
    this.queue = new Queue(QUEUES.maintenance, {
      connection: apiQueueConnection(config, 'custos-api-queue-metrics'),
      prefix: keys.queuePrefix,
    });
    // Connection errors while Redis is away: readiness and custos_redis_up report the outage.
    this.queue.on('error', () => undefined);
  }

  onModuleInit(): void {
    const { redis, queue } = this;
    const key = this.keys.workerHeartbeat;
    this.metrics.registerGauge({
      name: 'queue_jobs',
      help: 'Jobs of the maintenance queue by state',
      labelNames: ['queue', 'state'],
      async collect() {
        this.reset();
        const counts = await queue.getJobCounts(...JOB_STATES).catch(() => undefined);
        if (counts) for (const state of JOB_STATES) this.set({ queue: QUEUES.maintenance, state }, counts[state] ?? 0);
      },
    });
    // Heartbeats live in Redis; with the queues on Postgres there is none (docs/operations.md).
    if (!redis) return;
    this.metrics.registerGauge({
      name: 'workers_alive',
      help: 'Worker processes that sent a heartbeat recently',
      async collect() {
        // While Redis is away the value is unknown: leave the series out rather than fail the scrape.
        this.reset();
        const alive = await redis.zcount(key, Date.now() - WORKER_STALE_AFTER_MS, '+inf').catch(() => undefined);
        if (alive !== undefined) this.set(alive);
      },
    });
    this.metrics.registerGauge({
      name: 'redis_up',
      help: "Whether this instance's Redis connection is up (1) or not (0)",
      collect() {
        this.set(redis.status === 'ready' ? 1 : 0);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeQueue(this.queue);
  }
}
