import type { Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';

/** How long a job naming a tenant this database does not know waits before a worker looks at it again. */
const FOREIGN_JOB_DELAY_MS = 60_000;

/**
 * Leaves a job of another installation in its queue, neither completed nor failed, as BullMQ documents
 * for a processor that puts its job back (moveToDelayed with the worker's lock token, then DelayedError).
 * Delayed rather than returned to wait: this worker would take it straight back; after the delay, any
 * worker of the installation that knows the tenant may have it.
 */
export async function leaveForeignJob(job: Job, token: string | undefined, logger: Logger): Promise<never> {
  logger.warn(
    { jobId: job.id, job: job.name, queue: job.queueName, tenantId: (job.data as { tenantId?: unknown }).tenantId },
    'job names a tenant this database does not know: left in its queue for the installation it belongs to ' +
      '(installations sharing a Redis need namespaces of their own: CUSTOS_QUEUE_PREFIX)',
  );
  await job.moveToDelayed(Date.now() + FOREIGN_JOB_DELAY_MS, token);
  throw new DelayedError();
}
