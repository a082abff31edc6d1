import type { GeoVerdict } from '../usage/token-geofence';
import type { GeoRestrictions } from '../usage/geo-policy';
import type { TokenRateLimit } from './rate-limit';
import { VerifyCode, type TokenStatus } from '@custos/contracts';
import { effectiveExpiry } from './token-lifecycle';
import { consentRefusal, type ConsentWindow } from '../consents/consent-window';
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
  /** The window of the consent the token is bound to, if any. */
  consent?: ConsentWindow | null;
  /** Its data categories need a consent under the tenant's policy, and it has none. */
  consentRequired?: boolean;
  /** Its residency and the geofences that apply to it (its own and the policy's rules); none: off. */
  geo?: GeoRestrictions;
  /** Uses per window, counted across api instances; null: unlimited. */
  rateLimit?: TokenRateLimit | null;
}

export interface VerifyRequestContext {
  requiredScopes: readonly string[];
  ip?: string | undefined;
  /** The token's geo restrictions applied to the client's observed country (geoVerdictOf), worked out once per request. */
  geo?: GeoVerdict | undefined;
  now: Date;
}

/**
 * The documented order (docs/api.md): the first failing check answers. MALFORMED and NOT_FOUND
 * (including a wrong secret) are decided before this, by parsing and by the constant-time HMAC check.
 * The consent comes first, so that a token revoked by its consent's withdrawal answers
 * CONSENT_WITHDRAWN rather than a bare REVOKED. Usage is decided last, atomically in storage, because
 * it consumes a use.
 */
export function evaluateToken(token: VerifiableToken, ctx: VerifyRequestContext): VerifyCode {
  if (token.consentRequired) return VerifyCode.CONSENT_REQUIRED;
  if (token.consent) {
    const refusal = consentRefusal(token.consent, ctx.now);
    if (refusal) return refusal;
  }
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
  if (ctx.geo?.blocked) return VerifyCode.GEO_BLOCKED;
  if (missingScopes(ctx.requiredScopes, token.scopes).length > 0) return VerifyCode.INSUFFICIENT_SCOPE;
  if (token.remainingUses !== null && token.remainingUses <= 0) return VerifyCode.USAGE_EXCEEDED;
  return VerifyCode.VALID;
}
