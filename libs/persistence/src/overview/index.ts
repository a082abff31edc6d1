import { TokenOverviewRepository } from './token-overview.repository';

export * from './token-overview.repository';

export const OVERVIEW_REPOSITORIES = [TokenOverviewRepository];
