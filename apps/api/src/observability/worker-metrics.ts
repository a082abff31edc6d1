import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { QUEUES, WORKER_STALE_AFTER_MS, workerHeartbeatKey } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { REDIS } from '../infrastructure/redis.provider';
import { MetricsService } from './metrics.service';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Worker liveness and queue depth in /metrics, read from Redis at scrape time. */
@Injectable()
export class WorkerMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly queue: Queue;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {
    this.queue = new Queue(QUEUES.maintenance, {
      connection: { url: config.REDIS_URL, connectionName: 'custos-api-queue-metrics' },
      prefix: config.CUSTOS_QUEUE_PREFIX,
    });
  }

  onModuleInit(): void {
    const { redis, queue } = this;
    const key = workerHeartbeatKey(this.config.CUSTOS_QUEUE_PREFIX);
    this.metrics.registerGauge({
      name: 'workers_alive',
      help: 'Worker processes that sent a heartbeat recently',
      async collect() {
        this.set(await redis.zcount(key, Date.now() - WORKER_STALE_AFTER_MS, '+inf'));
      },
    });
    this.metrics.registerGauge({
      name: 'queue_jobs',
      help: 'Jobs of the maintenance queue by state',
      labelNames: ['queue', 'state'],
      async collect() {
        const counts = await queue.getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ queue: QUEUES.maintenance, state }, counts[state] ?? 0);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
