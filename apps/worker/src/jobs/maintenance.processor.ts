import { Inject, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { QUEUES, type JobName } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { Job, Queue } from 'bullmq';
import { SCHEDULED_JOB_OPTIONS, schedules, switchedOffSchedules } from '../schedules';
import { WORKER_CONFIG } from '../worker-config';
import { JOB_HANDLERS, indexHandlers, type JobHandler } from './job-handler';
import { queueAnswers } from './queue-probe';

/** How often a worker checks that every schedule still exists (one small read per schedule). */
const SCHEDULE_CHECK_MS = 30_000;

/** Runs the maintenance queue's jobs through their handlers and keeps the schedules registered. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MaintenanceProcessor.name);
  private handlers = new Map<JobName, JobHandler>();
  private checkTimer: NodeJS.Timeout | undefined;
  private redisDown = false;

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
    await this.registerSchedules();
    // Schedules live in Redis. A Redis that comes back empty (restarted without persistence, failed
    // over to an empty replica) has none, and nothing would ever run again: register them anew on every
    // reconnect, and check now and then in case one was removed (e.g. from the queue dashboard).
    // Upserting by id never duplicates a schedule, however many workers do it.
    this.queue.on('error', (error) => this.onRedisError(error));
    this.queue.getBackend().on('ready', () => void this.onRedisReady());
    this.checkTimer = setInterval(() => void this.ensureSchedules(), SCHEDULE_CHECK_MS);
    this.checkTimer.unref();
  }

  /**
   * Drains here, before any module closes: the worker finishes the job in hand while the database is
   * still open (closed later, Nest's own close of the worker ran after the database was gone, and the job
   * failed to be retried). With Redis away that close would wait forever (the job cannot be marked done,
   * QUIT cannot be sent): drop the connections instead. The job in hand is a sweep whose open batch
   * rolls back; the next run redoes it.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.checkTimer);
    if (await queueAnswers(this.queue.getBackend())) {
      await this.worker.close();
      return;
    }
    this.logger.warn('Redis unreachable at shutdown: closing without waiting for the job in hand');
    // Forced closes drop the connections at once; Nest's own closes afterwards find them closed.
    await Promise.allSettled([this.worker.close(true), this.queue.getBackend().connection.close(true)]);
  }

  private async registerSchedules(): Promise<void> {
    for (const schedule of schedules(this.config)) {
      await this.queue.upsertJobScheduler(schedule.id, { every: schedule.everyMs }, {
        name: schedule.jobName,
        data: {},
        opts: SCHEDULED_JOB_OPTIONS,
      });
    }
    for (const id of switchedOffSchedules(this.config)) await this.queue.removeJobScheduler(id);
  }

  private async onRedisReady(): Promise<void> {
    try {
      await this.registerSchedules();
      if (this.redisDown) this.logger.log('Redis is back: schedules registered again');
      this.redisDown = false;
    } catch (error) {
      // Dropped again before it finished: the next 'ready' or the periodic check tries again.
      this.logger.warn({ err: error }, 'schedules not registered after reconnect');
    }
  }

  private async ensureSchedules(): Promise<void> {
    try {
      const found = await Promise.all(schedules(this.config).map((s) => this.queue.getJobScheduler(s.id)));
      if (found.some((scheduler) => !scheduler)) {
        this.logger.warn('a schedule was missing: registering the schedules again');
        await this.registerSchedules();
      }
    } catch (error) {
      this.onRedisError(error);
    }
  }

  /** Once per outage, not once per reconnect attempt. */
  private onRedisError(error: unknown): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.logger.warn({ err: error }, 'Redis unreachable: jobs wait until it is back');
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.onRedisError(error);
  }

  /** A failed attempt is retried (SCHEDULED_JOB_OPTIONS); the last one leaves the job in the failed set. */
  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    const entry = { err: error, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade };
    if (final) this.logger.error(entry, 'job failed for good; see /admin/queues');
    else this.logger.warn(entry, 'job failed; it will be retried');
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
