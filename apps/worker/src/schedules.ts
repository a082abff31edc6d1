import type { JobName } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import type { JobSchedulerTemplateOptions } from 'bullmq';

export interface Schedule {
  /** Job scheduler id: one per schedule, so restarts and several workers upsert, never duplicate. */
  id: string;
  jobName: JobName;
  everyMs: number;
}

const CHECKPOINT_SCHEDULE_ID = 'audit-checkpoint';

/** Every periodic job, in one place. */
export function schedules(config: CustosConfig): Schedule[] {
  return [
    { id: 'audit-seal', jobName: 'audit.seal', everyMs: config.CUSTOS_AUDIT_SEAL_INTERVAL_MS },
    { id: 'tokens-expire', jobName: 'tokens.expire', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
    { id: 'tokens-end-grace', jobName: 'tokens.end_grace', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
    { id: 'webhooks-deliver', jobName: 'webhooks.deliver', everyMs: config.CUSTOS_WEBHOOK_INTERVAL_MS },
    { id: 'tokens-rotate', jobName: 'tokens.rotate', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
    { id: 'tokens-notify-expiring', jobName: 'tokens.notify_expiring', everyMs: config.CUSTOS_NOTICE_INTERVAL_MS },
    { id: 'consents-end-windows', jobName: 'consents.end_windows', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
    { id: 'tokens-check-unused', jobName: 'tokens.check_unused', everyMs: config.CUSTOS_NOTICE_INTERVAL_MS },
    ...(config.CUSTOS_CHECKPOINT_INTERVAL_MS > 0
      ? [{ id: CHECKPOINT_SCHEDULE_ID, jobName: 'audit.checkpoint' as const, everyMs: config.CUSTOS_CHECKPOINT_INTERVAL_MS }]
      : []),
    // Key ages are counted in days, like the notices' deadlines.
    { id: 'signing-keys-rotate', jobName: 'signing_keys.rotate', everyMs: config.CUSTOS_NOTICE_INTERVAL_MS },
    { id: 'reports-requeue', jobName: 'reports.requeue', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
  ];
}

/** Schedules turned off in configuration: removed from Redis, in case an earlier start registered them. */
export function switchedOffSchedules(config: CustosConfig): string[] {
  return config.CUSTOS_CHECKPOINT_INTERVAL_MS > 0 ? [] : [CHECKPOINT_SCHEDULE_ID];
}

/**
 * What every scheduled job gets. A failing run is retried with exponential backoff (after 1 s, 2 s and
 * 4 s), so a passing fault (a database failover, a dropped connection) heals by itself; a lasting one
 * ends in BullMQ's failed set with its error and stack, shown in /admin/queues and counted in
 * custos_queue_jobs{state="failed"}. Every job is an idempotent sweep, so a retry never does work twice,
 * and the schedule keeps producing runs meanwhile.
 */
export const SCHEDULED_JOB_OPTIONS = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 100,
  removeOnFail: 1000,
} as const satisfies JobSchedulerTemplateOptions;
