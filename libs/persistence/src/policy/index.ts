import { PolicyRepository } from './policy.repository';

export * from './policy.repository';

export const POLICY_REPOSITORIES = [PolicyRepository];
