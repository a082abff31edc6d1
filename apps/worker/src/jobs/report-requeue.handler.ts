import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { StaleReports } from '@custos/application';
import { QUEUES, REPORT_JOB_OPTIONS } from '@custos/contracts';
import type { Queue } from 'bullmq';
import type { JobHandler } from './job-handler';

/** A report queued this long ago without being picked up has lost its job (or is about to be picked up: queueing again is harmless). */
const STALE_REPORT_SECONDS = 60;
const BATCH = 500;

/**
 * Queues again the reports whose job never reached Redis. The job id is the report id, so a report
 * whose job is only waiting (workers busy) gets no second job.
 */
@Injectable()
export class ReportRequeueHandler implements JobHandler<'reports.requeue'> {
  readonly jobName = 'reports.requeue' as const;

  constructor(
    private readonly reports: StaleReports,
    @InjectQueue(QUEUES.reports) private readonly queue: Queue,
  ) {}

  async handle(): Promise<{ queued: number }> {
    const stale = await this.reports.queuedFor(STALE_REPORT_SECONDS, BATCH);
    await Promise.all(stale.map((job) => this.queue.add('reports.generate', job, { ...REPORT_JOB_OPTIONS, jobId: job.reportId })));
    return { queued: stale.length };
  }
}
