import { StewardRepository } from './steward.repository';

export * from './steward.repository';

export const STEWARDS_REPOSITORIES = [StewardRepository];
