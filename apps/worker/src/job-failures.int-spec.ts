import { randomBytes } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import { QUEUES, RedisKeys } from '@custos/contracts';
import { testConfig } from '@custos/testing';
import type { Job, Queue } from 'bullmq';
import type { JobHandler } from './jobs/job-handler';
import { TokenExpiryHandler } from './jobs/token-sweep.handlers';
import { SCHEDULED_JOB_OPTIONS } from './schedules';
import { WorkerModule } from './worker.module';

// @runsAlone: it runs the worker's sweeps in this process over every tenant of the run's database (npm test runs it after the rest, by itself).
/**
 * A job that keeps failing is retried a bounded number of times with growing delays, then ends in
 * BullMQ's failed set with its error and stack, where the queue dashboard and /metrics find it.
 */
describe('a scheduled job that keeps failing', () => {
  const keys = new RedisKeys(`{custos-fail-${randomBytes(4).toString('hex')}}`);
  const attemptsAt: number[] = [];
  // Stands in for a sweep whose database is unreachable; the processor, retries and schedule are real.
  const failing: JobHandler<'tokens.expire'> = {
    jobName: 'tokens.expire',
    async handle() {
      attemptsAt.push(Date.now());
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432 (simulated)');
    },
  };
  let worker: TestingModule;
  let queue: Queue;

  beforeAll(async () => {
    const config = await testConfig({
      // One run of each schedule (the first is immediate): the retries of that run are what is watched.
      CUSTOS_SWEEP_INTERVAL_MS: '600000',
      CUSTOS_AUDIT_SEAL_INTERVAL_MS: '600000',
    });
    const silent = new ConsoleLogger();
    silent.setLogLevels([]);
    worker = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config, keys)] })
      .setLogger(silent)
      .overrideProvider(TokenExpiryHandler)
      .useValue(failing)
      .compile();
    worker.enableShutdownHooks();
    await worker.init();
    queue = worker.get<Queue>(getQueueToken(QUEUES.maintenance));
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await worker?.close();
  });

  const failedExpiry = async (): Promise<Job | undefined> =>
    (await queue.getJobs(['failed'])).find((job) => job.name === 'tokens.expire');

  it('ends failed after its attempts, with the error of each, after delays that grew', async () => {
    const deadline = Date.now() + 25_000;
    let job = await failedExpiry();
    while (!job && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await failedExpiry();
    }
    expect(job).toBeDefined();
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(SCHEDULED_JOB_OPTIONS.attempts);
    expect(job!.failedReason).toBe('connect ECONNREFUSED 127.0.0.1:5432 (simulated)');
    const traces = job!.stacktrace ?? [];
    expect(traces).toHaveLength(SCHEDULED_JOB_OPTIONS.attempts);
    expect(traces.every((trace) => trace.startsWith('Error: connect ECONNREFUSED'))).toBe(true);
    expect(job!.opts).toMatchObject({ attempts: 4, backoff: { type: 'exponential', delay: 1000 } });

    // Exponential backoff: about 1 s, 2 s, 4 s between attempts.
    expect(attemptsAt).toHaveLength(SCHEDULED_JOB_OPTIONS.attempts);
    const gaps = attemptsAt.slice(1).map((at, i) => at - attemptsAt[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    // Compared as one object, so that a failure prints every gap (and the attempts' times) to tell why.
    const grew = gaps.slice(1).every((gap, i) => gap >= gaps[i]! * 1.5);
    expect({ gaps, attemptsAt, grew }).toEqual({ gaps, attemptsAt, grew: true });

    // What custos_queue_jobs{state="failed"} reads.
    expect((await queue.getJobCounts('failed')).failed).toBe(1);
  }, 30_000);

  it('does not stop the schedule: the next run is already waiting', async () => {
    const scheduler = await queue.getJobScheduler('tokens-expire');
    expect(scheduler).toMatchObject({ name: 'tokens.expire', every: 600000 });
    expect(scheduler!.next).toBeGreaterThan(Date.now());
  });
});
