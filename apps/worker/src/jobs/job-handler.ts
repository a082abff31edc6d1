import type { JobName, JobPayloads } from '@custos/contracts';

/** One handler per job name; the processor refuses to start with a duplicate or a missing one. */
export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(payload: JobPayloads[N]): Promise<Record<string, unknown> | void>;
}

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/** Throws, naming the problem, unless every scheduled job has exactly one handler. */
export function indexHandlers(handlers: readonly JobHandler[], scheduled: readonly JobName[]): Map<JobName, JobHandler> {
  const byName = new Map<JobName, JobHandler>();
  for (const handler of handlers) {
    if (byName.has(handler.jobName)) throw new Error(`two handlers for job "${handler.jobName}"`);
    byName.set(handler.jobName, handler);
  }
  const missing = scheduled.filter((name) => !byName.has(name));
  if (missing.length > 0) throw new Error(`no handler for scheduled job(s): ${missing.join(', ')}`);
  return byName;
}
