import type { VerifyCacheHint, VerifyCode } from '@custos/contracts';
import { IpAllowList } from './ip-allowlist';
import { evaluateToken, type VerifiableToken } from './verify-rules';

/** A token as the server holds it for verify, with what a cache hint repeats of it. */
export interface HintableToken extends VerifiableToken {
  lookupId: string;
  allowedCidrs: readonly string[];
}

/**
 * What a caller may cache of a token Custos just found VALID, or null when the next answer may differ
 * for reasons the caller cannot see: uses counted, rate limited or located by Custos.
 */
export function cacheHintOf(token: HintableToken): VerifyCacheHint | null {
  if (token.remainingUses !== null || token.rateLimit || token.consentRequired) return null;
  if (token.geo && (token.geo.fences.length > 0 || token.geo.residencyRegion !== null)) return null;
  return {
    lookupId: token.lookupId,
    scopes: [...token.scopes],
    expiresAt: token.expiresAt.toISOString(),
    graceEndsAt: token.graceEndsAt?.toISOString() ?? null,
    notBefore: token.notBefore?.toISOString() ?? null,
    allowedCidrs: [...token.allowedCidrs],
    consent: token.consent ? { validFrom: token.consent.validFrom.toISOString(), validUntil: token.consent.validUntil.toISOString() } : null,
  };
}

/**
 * A token as a verify answer's cache hint describes it, for deciding later verifies in the caller's own
 * process (the SDK). It was VALID when Custos answered, so its status is active; what the hint leaves out
 * (uses, rate limits, geofences) makes Custos withhold the hint altogether.
 */
export function verifiableFromHint(hint: VerifyCacheHint): VerifiableToken {
  return {
    status: 'active',
    expiresAt: new Date(hint.expiresAt),
    graceEndsAt: hint.graceEndsAt ? new Date(hint.graceEndsAt) : null,
    notBefore: hint.notBefore ? new Date(hint.notBefore) : null,
    scopes: hint.scopes,
    allowList: new IpAllowList(hint.allowedCidrs),
    remainingUses: null,
    consent: hint.consent ? { validFrom: new Date(hint.consent.validFrom), validUntil: new Date(hint.consent.validUntil), withdrawnAt: null } : null,
  };
}

/** The answer Custos would give now, with the same rules in the same order (evaluateToken). */
export function evaluateCached(
  token: VerifiableToken,
  request: { scopes?: readonly string[] | undefined; ip?: string | undefined; now?: Date },
): VerifyCode {
  return evaluateToken(token, { requiredScopes: request.scopes ?? [], ip: request.ip, now: request.now ?? new Date() });
}
