import { Injectable } from '@nestjs/common';
import { UsagePartitions } from '@custos/application';
import type { JobHandler } from './job-handler';

/** Keeps usage_events partitioned a week ahead and applies each tenant's usage retention. */
@Injectable()
export class UsagePartitionsHandler implements JobHandler<'usage.partitions'> {
  readonly jobName = 'usage.partitions' as const;

  constructor(private readonly partitions: UsagePartitions) {}

  async handle(): Promise<{ made: number; dropped: number; deleted: number }> {
    const run = await this.partitions.run();
    return { made: run.made, dropped: run.dropped.length, deleted: run.deleted };
  }
}
