import { BoundTokenRepository } from './bound-token.repository';
import { ConsentRepository } from './consent.repository';

export * from './bound-token.repository';
export * from './consent.repository';
export type { BoundTokenRecord, ConsentRecord, ConsentVersionRecord } from './consent-rows';

export const CONSENTS_REPOSITORIES = [ConsentRepository, BoundTokenRepository];
