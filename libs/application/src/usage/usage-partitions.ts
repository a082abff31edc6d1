import { Inject, Injectable } from '@nestjs/common';
import { Database, UsageEventRepository, UsageRetentionRepository } from '@custos/persistence';

/** Days of usage_events partitions kept ready ahead of today (UTC). */
export const USAGE_PARTITION_DAYS_AHEAD = 7;
/** Rows per table and retention pass: each pass is one short transaction. */
const RETENTION_BATCH = 10_000;
/** Passes per run at most; the next run goes on where this one stopped. */
const RETENTION_PASSES = 50;
const DAY_MS = 86_400_000;

export interface UsagePartitionRun {
  /** Partitions made ahead. */
  made: number;
  /** Partitions dropped, all of their days older than the longest retention of any tenant. */
  dropped: string[];
  /** Rows deleted past the retention of their tenant (events, rollups and daily addresses). */
  deleted: number;
}

/**
 * The worker's `usage.partitions` job: day partitions of usage_events a week ahead, days past the
 * longest retention of any tenant dropped whole, and each tenant's older usage deleted where it keeps
 * less. Idempotent, and safe with several workers (the database functions serialise partition changes).
 */
@Injectable()
export class UsagePartitions {
  constructor(
    private readonly db: Database,
    @Inject(UsageEventRepository) private readonly events: Pick<UsageEventRepository, 'ensurePartitions'>,
    @Inject(UsageRetentionRepository)
    private readonly retention: Pick<UsageRetentionRepository, 'dropExpiredPartitions' | 'applyRetention'>,
  ) {}

  async run(now = new Date()): Promise<UsagePartitionRun> {
    const ahead = new Date(now.getTime() + USAGE_PARTITION_DAYS_AHEAD * DAY_MS);
    const made = await this.db.system((tx) => this.events.ensurePartitions(tx, now, ahead));
    const dropped = await this.db.system((tx) => this.retention.dropExpiredPartitions(tx));
    let deleted = 0;
    for (let pass = 0; pass < RETENTION_PASSES; pass++) {
      const removed = await this.db.system((tx) => this.retention.applyRetention(tx, RETENTION_BATCH));
      deleted += removed.events + removed.rollups + removed.addresses;
      if (Math.max(removed.events, removed.rollups, removed.addresses) < RETENTION_BATCH) break;
    }
    return { made, dropped, deleted };
  }
}
