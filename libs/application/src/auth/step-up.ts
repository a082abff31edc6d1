import { ErrorCode } from '@custos/contracts';
import { DomainError, stepUpFresh } from '@custos/domain';
import type { Principal } from './principal';

/**
 * A sensitive action (custos: scopes on a new key, roles, the policy, signing keys, SSO, removing people)
 * by a person with MFA needs an MFA check within the policy's step-up window; POST /v1/auth/step-up
 * renews it. People without MFA, and service keys, have nothing to step up with: the tenant's
 * requireMfaForRoles is what makes MFA, and so step-up, mandatory.
 */
export function assertSteppedUp(principal: Principal, now = new Date()): void {
  const session = principal.session;
  if (principal.kind !== 'user' || !session?.hasMfa) return;
  if (!stepUpFresh(session.mfaAt, session.policy, now)) {
    throw new DomainError(ErrorCode.STEP_UP_REQUIRED, `This needs a recent MFA check (within ${session.policy.stepUpSeconds} s): confirm with a code at POST /v1/auth/step-up, then try again.`);
  }
}
