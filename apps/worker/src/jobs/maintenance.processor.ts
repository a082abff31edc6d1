import { Inject, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { QUEUES, type JobName } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { Job, Queue } from 'bullmq';
import { schedules } from '../schedules';
import { WORKER_CONFIG } from '../worker-config';
import { JOB_HANDLERS, indexHandlers, type JobHandler } from './job-handler';

/** Runs the maintenance queue's jobs through their handlers and keeps the schedules registered. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);
  private handlers = new Map<JobName, JobHandler>();

  constructor(
    @Inject(JOB_HANDLERS) private readonly registered: JobHandler[],
    @Inject(WORKER_CONFIG) private readonly config: CustosConfig,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  onModuleInit(): void {
    this.handlers = indexHandlers(this.registered, schedules(this.config).map((s) => s.jobName));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const schedule of schedules(this.config)) {
      await this.queue.upsertJobScheduler(schedule.id, { every: schedule.everyMs }, {
        name: schedule.jobName,
        data: {},
        opts: { removeOnComplete: 100, removeOnFail: 500 },
      });
    }
  }

  async process(job: Job): Promise<Record<string, unknown> | void> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job "${job.name}"`);
    const started = Date.now();
    const result = await handler.handle(job.data as never);
    this.logger.debug({ job: job.name, ms: Date.now() - started, result }, 'job done');
    return result;
  }
}
