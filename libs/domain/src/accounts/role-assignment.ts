import { ErrorCode, ROLE_SCOPES, type Role } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';
import { missingScopes } from '../tokens/scopes';

/** Who is handing out (or taking away) a role: a signed-in person or a service key. */
export interface RoleGrantor {
  /** The person's role; null for a service key. */
  role: Role | null;
  scopes: readonly string[];
}

/**
 * Nobody grants what it does not hold, for roles as for scopes: making someone `role` (creating a
 * user, changing a role) — or acting on someone who already holds it (demoting, removing) — needs
 * every scope of that role, and the owner role needs an owner. A service key is never an owner.
 */
export function assertCanAssignRole(grantor: RoleGrantor, role: Role): void {
  if (role === 'owner') {
    if (grantor.role !== 'owner') {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only an owner can grant, change or remove the owner role.');
    }
    return;
  }
  const notHeld = missingScopes(ROLE_SCOPES[role], grantor.scopes);
  if (notHeld.length > 0) {
    throw new DomainError(
      ErrorCode.SCOPE_ESCALATION,
      `The ${role} role holds permissions you do not: ${notHeld.join(', ')}.`,
    );
  }
}
