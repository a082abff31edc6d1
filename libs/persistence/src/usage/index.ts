import { UsageEventRepository } from './usage-event.repository';
import { UsageQueryRepository } from './usage-query.repository';
import { UsageRetentionRepository } from './usage-retention.repository';

export * from './usage-event.repository';
export * from './usage-query.repository';
export * from './usage-retention.repository';

export const USAGE_REPOSITORIES = [UsageEventRepository, UsageQueryRepository, UsageRetentionRepository];
