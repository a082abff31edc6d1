import { ErrorCode, type TokenStatus } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';

export type LifecycleAction = 'suspend' | 'resume' | 'rotate' | 'revoke' | 'expire' | 'complete_rotation';

/** Allowed transitions; revoked and expired are final. */
const TRANSITIONS: Readonly<Record<TokenStatus, Partial<Record<LifecycleAction, TokenStatus>>>> = {
  active: { suspend: 'suspended', rotate: 'rotating', revoke: 'revoked', expire: 'expired' },
  suspended: { resume: 'active', revoke: 'revoked', expire: 'expired' },
  rotating: { revoke: 'revoked', expire: 'expired', complete_rotation: 'expired' },
  revoked: {},
  expired: {},
};

export function nextStatus(current: TokenStatus, action: LifecycleAction): TokenStatus {
  const next = TRANSITIONS[current][action];
  if (!next) {
    throw new DomainError(ErrorCode.INVALID_TRANSITION, `A ${current} token cannot ${action.replace('_', ' ')}.`);
  }
  return next;
}

export function canTransition(current: TokenStatus, action: LifecycleAction): boolean {
  return TRANSITIONS[current][action] !== undefined;
}

/** The moment a token stops working: a rotating token's grace end never exceeds its own expiry. */
export function effectiveExpiry(token: { expiresAt: Date; graceEndsAt: Date | null }): Date {
  if (token.graceEndsAt && token.graceEndsAt < token.expiresAt) return token.graceEndsAt;
  return token.expiresAt;
}
