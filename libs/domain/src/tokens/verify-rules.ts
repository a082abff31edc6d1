import { VerifyCode, type TokenStatus } from '@custos/contracts';
import { effectiveExpiry } from './token-lifecycle';
import type { IpAllowList } from './ip-allowlist';
import { missingScopes } from './scopes';

/** What verify needs to know of a token; cached per API instance. */
export interface VerifiableToken {
  status: TokenStatus;
  expiresAt: Date;
  graceEndsAt: Date | null;
  notBefore: Date | null;
  scopes: readonly string[];
  allowList: IpAllowList;
  remainingUses: number | null;
}

export interface VerifyRequestContext {
  requiredScopes: readonly string[];
  ip?: string | undefined;
  now: Date;
}

/**
 * The documented order (docs/api.md): the first failing check answers. MALFORMED and NOT_FOUND
 * (including a wrong secret) are decided before this, by parsing and by the constant-time HMAC check.
 * Usage is decided last, atomically in storage, because it consumes a use.
 */
export function evaluateToken(token: VerifiableToken, ctx: VerifyRequestContext): VerifyCode {
  switch (token.status) {
    case 'revoked':
      return VerifyCode.REVOKED;
    case 'suspended':
      return VerifyCode.SUSPENDED;
    case 'expired':
      return VerifyCode.EXPIRED;
    case 'active':
    case 'rotating':
      break;
  }
  if (effectiveExpiry(token) <= ctx.now) return VerifyCode.EXPIRED;
  if (token.notBefore && token.notBefore > ctx.now) return VerifyCode.NOT_YET_VALID;
  if (!token.allowList.allows(ctx.ip)) return VerifyCode.IP_BLOCKED;
  if (missingScopes(ctx.requiredScopes, token.scopes).length > 0) return VerifyCode.INSUFFICIENT_SCOPE;
  if (token.remainingUses !== null && token.remainingUses <= 0) return VerifyCode.USAGE_EXCEEDED;
  return VerifyCode.VALID;
}
