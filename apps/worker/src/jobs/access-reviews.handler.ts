import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { ReviewScheduler } from '@custos/application';
import { QUEUES, REPORT_JOB_OPTIONS } from '@custos/contracts';
import type { Queue } from 'bullmq';
import type { JobHandler } from './job-handler';

/**
 * Opens scheduled access reviews, reminds reviewers, and at due dates applies onOverdue and closes the
 * campaign; its reports go to the reports queue (a lost job is queued again by reports.requeue).
 */
@Injectable()
export class AccessReviewsHandler implements JobHandler<'reviews.run'> {
  readonly jobName = 'reviews.run' as const;

  constructor(
    private readonly scheduler: ReviewScheduler,
    @InjectQueue(QUEUES.reports) private readonly reports: Queue,
  ) {}

  async handle(): Promise<{ opened: number; reminded: number; closed: number; reports: number }> {
    const run = await this.scheduler.run();
    await Promise.all(run.reports.map((job) => this.reports.add('reports.generate', job, { ...REPORT_JOB_OPTIONS, jobId: job.reportId })));
    return { opened: run.opened, reminded: run.reminded, closed: run.closed, reports: run.reports.length };
  }
}
