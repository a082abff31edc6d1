import type { Role } from '@custos/contracts';
import type { UserEntity } from '@custos/persistence';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  lastLoginAt: string | null;
  createdAt: string;
  /** The person has a second factor enrolled. */
  mfaEnabled: boolean;
}

export interface TenantView {
  id: string;
  name: string;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    mfaEnabled: user.totpEnabledAt !== null || user.hasPasskey === true,
  };
}
