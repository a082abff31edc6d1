export const QUEUES = {
  maintenance: 'maintenance',
  /** Report generation runs long: its own queue, so it never holds up the sweeps. */
  reports: 'reports',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Every job the worker runs, with its payload; api and worker agree on these and nothing else. */
export interface JobPayloads {
  /** Seal committed audit events into their tenants' hash chains (heals a crash between commit and seal). */
  'audit.seal': Record<string, never>;
  /** Mark active and suspended tokens past their expiry as expired. */
  'tokens.expire': Record<string, never>;
  /** Mark rotating tokens whose grace period ended as expired. */
  'tokens.end_grace': Record<string, never>;
  /** Rotate tokens whose rotation is due, and hand each successor to its service. */
  'tokens.rotate': Record<string, never>;
  /** Send "expiring soon" notices 7 days and 1 day before expiry. */
  'tokens.notify_expiring': Record<string, never>;
  /** Warn about, then suspend, tokens unused past the tenant's policy. */
  'tokens.check_unused': Record<string, never>;
  /** Expire the tokens bound to consents whose window has ended. */
  'consents.end_windows': Record<string, never>;
  /** Send the webhook deliveries that are due (new ones and retries), claimed under a lease. */
  'webhooks.deliver': Record<string, never>;
  /** Sign a checkpoint of every tenant's audit chain head that moved since its last checkpoint. */
  'audit.checkpoint': Record<string, never>;
  /** Replace tenant signing keys older than the rotation period (old public keys stay published). */
  'signing_keys.rotate': Record<string, never>;
  /** Generate one queued compliance report (docs/compliance.md). */
  'reports.generate': { tenantId: string; reportId: string };
  /** Queue again the reports left queued without a job (Redis refused it after the request committed). */
  'reports.requeue': Record<string, never>;
  /** Make usage_events partitions a week ahead; drop or delete usage past each tenant's retention. */
  'usage.partitions': Record<string, never>;
  /** Open scheduled access reviews, remind reviewers, apply onOverdue at due dates and close (docs/access-reviews.md). */
  'reviews.run': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUES: Readonly<Record<JobName, QueueName>> = {
  'audit.seal': QUEUES.maintenance,
  'tokens.expire': QUEUES.maintenance,
  'tokens.end_grace': QUEUES.maintenance,
  'tokens.rotate': QUEUES.maintenance,
  'tokens.notify_expiring': QUEUES.maintenance,
  'tokens.check_unused': QUEUES.maintenance,
  'webhooks.deliver': QUEUES.maintenance,
  'consents.end_windows': QUEUES.maintenance,
  'audit.checkpoint': QUEUES.maintenance,
  'signing_keys.rotate': QUEUES.maintenance,
  'reports.generate': QUEUES.reports,
  'reports.requeue': QUEUES.maintenance,
  'usage.partitions': QUEUES.maintenance,
  'reviews.run': QUEUES.maintenance,
};

/**
 * How a report generation job is queued, by the api on request and by the worker's requeue sweep. The
 * report id is the job id: queueing a report twice makes one job.
 */
export const REPORT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 1000,
} as const;

/** How often a worker writes its heartbeat (RedisKeys.workerHeartbeat). */
export const WORKER_HEARTBEAT_MS = 5000;
/** A worker missing this many beats counts as gone. */
export const WORKER_STALE_AFTER_MS = 3 * WORKER_HEARTBEAT_MS;

/** What goes over RedisKeys.tokenInvalidationChannel. */
export interface TokenInvalidationMessage {
  /** The publishing instance, which has already dropped its own entries. */
  origin: string;
  lookupIds: string[];
  /** Tenants whose every cached token is stale (a policy change that verify applies, e.g. requireConsentFor). */
  tenantIds?: string[];
}
