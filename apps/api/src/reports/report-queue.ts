import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { REPORT_QUEUE, type ReportQueue } from '@custos/application';
import { JOB_QUEUES, REPORT_JOB_OPTIONS, RedisKeys } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import { Queue } from 'bullmq';
import { apiQueueConnection, closeQueue } from '../infrastructure/redis.provider';

/** The api's producer for report generation jobs, on the worker's `reports` queue. */
class BullReportQueue implements ReportQueue, OnApplicationShutdown {
  private readonly queue: Queue;

  constructor(config: CustosConfig, keys: RedisKeys) {
    this.queue = new Queue(JOB_QUEUES['reports.generate'], {
      connection: apiQueueConnection(config, 'custos-api-report-producer'),
      prefix: keys.queuePrefix,
    });
  }

  async enqueue(job: { tenantId: string; reportId: string }): Promise<void> {
    await this.queue.add('reports.generate', job, { ...REPORT_JOB_OPTIONS, jobId: job.reportId });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeQueue(this.queue);
  }
}

@Global()
@Module({})
export class ReportQueueModule {
  static forRoot(config: CustosConfig): DynamicModule {
    return {
      module: ReportQueueModule,
      providers: [{ provide: REPORT_QUEUE, useFactory: (keys: RedisKeys) => new BullReportQueue(config, keys), inject: [RedisKeys] }],
      exports: [REPORT_QUEUE],
    };
  }
}
