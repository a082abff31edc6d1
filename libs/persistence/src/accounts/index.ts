import { ActorRepository } from './actor.repository';
import { InvitationRepository } from './invitation.repository';
import { LoginChallengeRepository } from './login-challenge.repository';
import { PasskeyRepository } from './passkey.repository';
import { SessionRepository } from './session.repository';
import { TenantRepository } from './tenant.repository';
import { UserRepository } from './user.repository';

export * from './actor.repository';
export * from './invitation.repository';
export * from './login-challenge.repository';
export * from './passkey.repository';
export * from './session.repository';
export * from './tenant.repository';
export * from './user.repository';

export const ACCOUNTS_REPOSITORIES = [UserRepository, SessionRepository, TenantRepository, ActorRepository, LoginChallengeRepository, InvitationRepository, PasskeyRepository];
