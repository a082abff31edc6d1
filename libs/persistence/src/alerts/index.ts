import { AlertRepository } from './alert.repository';
import { AlertSignalRepository } from './alert-signal.repository';
import { TokenImpactRepository } from './token-impact.repository';

export * from './alert.repository';
export * from './alert-signal.repository';
export * from './token-impact.repository';

export const ALERTS_REPOSITORIES = [AlertRepository, AlertSignalRepository, TokenImpactRepository];
