import { TokenSnapshotRepository } from './token-snapshot.repository';
import { TokenUsageRepository } from './token-usage.repository';

export * from './token-snapshot.repository';
export * from './token-usage.repository';

export const VERIFY_REPOSITORIES = [TokenSnapshotRepository, TokenUsageRepository];
