import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { InstallationService } from '@custos/application';
import { QUEUES, type JobPayloads } from '@custos/contracts';
import type { Job } from 'bullmq';
import { leaveForeignJob } from './foreign-job';
import { ReportGenerationHandler } from './report-generation.handler';
import { queueAnswers } from './queue-probe';

/**
 * Report generation on its own queue: a report over a large tenant runs for seconds, and the
 * maintenance queue's sweeps must not wait behind it. Two at a time per worker.
 */
@Processor(QUEUES.reports, { concurrency: 2 })
export class ReportsProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportsProcessor.name);
  private redisDown = false;

  constructor(
    private readonly handler: ReportGenerationHandler,
    private readonly installation: InstallationService,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<Record<string, unknown>> {
    if (job.name !== this.handler.jobName) throw new Error(`no handler for job "${job.name}" on the reports queue`);
    const payload = job.data as JobPayloads['reports.generate'];
    if (!(await this.installation.knowsTenant(payload.tenantId))) return leaveForeignJob(job, token, this.logger);
    const started = Date.now();
    const result = await this.handler.handle(payload);
    this.logger.log({ job: job.name, reportId: job.id, ms: Date.now() - started, result }, 'report job done');
    return result;
  }

  /**
   * Drains before the database closes (see MaintenanceProcessor). With Redis away, that close would wait
   * forever: drop the connection instead. A report in hand rolls back and stays running; the job's retry
   * redoes it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (await queueAnswers(this.worker.getBackend())) {
      await this.worker.close();
      return;
    }
    await this.worker.close(true).catch(() => undefined);
  }

  /** Once per outage; the maintenance processor says the same for its queue. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.logger.warn({ err: error }, 'Redis unreachable: report jobs wait until it is back');
  }

  @OnWorkerEvent('ready')
  onReady(): void {
    this.redisDown = false;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.error({ err: error, jobId: job?.id, attempt: job?.attemptsMade }, 'report job failed');
  }
}
