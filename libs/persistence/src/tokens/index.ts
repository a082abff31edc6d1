import { SuccessorPickupRepository } from './successor-pickup.repository';
import { TokenRepository } from './token.repository';

export * from './token-filter';
export * from './token-rows';
export * from './token.repository';
export * from './successor-pickup.repository';

export const TOKENS_REPOSITORIES = [TokenRepository, SuccessorPickupRepository];
