import { ActorRepository } from './actor.repository';
import { SessionRepository } from './session.repository';
import { TenantRepository } from './tenant.repository';
import { UserRepository } from './user.repository';

export * from './actor.repository';
export * from './session.repository';
export * from './tenant.repository';
export * from './user.repository';

export const ACCOUNTS_REPOSITORIES = [UserRepository, SessionRepository, TenantRepository, ActorRepository];
