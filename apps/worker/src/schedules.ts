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

/**
 * Usage partitions are made a week ahead and retention counts in days: hourly is plenty, and a missed
 * run costs nothing (the api makes a missing day's partition itself).
 */
const USAGE_PARTITIONS_EVERY_MS = 3_600_000;

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
    ...(checkpointsScheduled(config)
      ? [{ id: CHECKPOINT_SCHEDULE_ID, jobName: 'audit.checkpoint' as const, everyMs: checkpointTickMs(config) }]
      : []),
    // Key ages are counted in days, like the notices' deadlines.
    { id: 'signing-keys-rotate', jobName: 'signing_keys.rotate', everyMs: config.CUSTOS_NOTICE_INTERVAL_MS },
    { id: 'reports-requeue', jobName: 'reports.requeue', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
    { id: 'usage-partitions', jobName: 'usage.partitions', everyMs: USAGE_PARTITIONS_EVERY_MS },
    // Due dates are minutes to days away; the sweep's pace puts overdue actions within seconds of them.
    { id: 'reviews-run', jobName: 'reviews.run', everyMs: config.CUSTOS_SWEEP_INTERVAL_MS },
  ];
}

/** Schedules turned off in configuration: removed from Redis, in case an earlier start registered them. */
export function switchedOffSchedules(config: CustosConfig): string[] {
  return checkpointsScheduled(config) ? [] : [CHECKPOINT_SCHEDULE_ID];
}

/** Scheduled checkpoints are on while either of their rules is (after N events, after an interval). */
function checkpointsScheduled(config: CustosConfig): boolean {
  return config.CUSTOS_CHECKPOINT_EVERY_EVENTS > 0 || config.CUSTOS_CHECKPOINT_INTERVAL_MS > 0;
}

/**
 * The checkpoint job looks for due tenants as often as the seal sweep runs, so a chain that grew by N
 * events is signed within seconds, not at the next interval; a shorter interval ticks faster still.
 */
function checkpointTickMs(config: CustosConfig): number {
  const interval = config.CUSTOS_CHECKPOINT_INTERVAL_MS;
  return interval > 0 ? Math.min(interval, config.CUSTOS_AUDIT_SEAL_INTERVAL_MS) : config.CUSTOS_AUDIT_SEAL_INTERVAL_MS;
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
