import type { VerifyCacheHint, VerifyCode } from '@custos/contracts';
import { IpAllowList } from './ip-allowlist';
import { evaluateToken, type VerifiableToken } from './verify-rules';

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
