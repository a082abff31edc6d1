import { RotationSweepRepository } from './rotation-sweep.repository';
import { TokenSweepRepository } from './token-sweep.repository';

export * from './rotation-sweep.repository';
export * from './token-sweep.repository';

export const SWEEPS_REPOSITORIES = [TokenSweepRepository, RotationSweepRepository];
