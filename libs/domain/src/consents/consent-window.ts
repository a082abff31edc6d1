import { VerifyCode, type ConsentStatus } from '@custos/contracts';

/** The part of a consent that decides whether a bound token may be used right now. */
export interface ConsentWindow {
  validFrom: Date;
  validUntil: Date;
  withdrawnAt: Date | null;
}

export function consentStatusAt(consent: ConsentWindow, at: Date): ConsentStatus {
  if (consent.withdrawnAt) return 'withdrawn';
  if (consent.validFrom > at) return 'upcoming';
  if (consent.validUntil <= at) return 'expired';
  return 'active';
}

const REFUSAL: Record<Exclude<ConsentStatus, 'active'>, VerifyCode> = {
  withdrawn: VerifyCode.CONSENT_WITHDRAWN,
  upcoming: VerifyCode.CONSENT_NOT_YET_VALID,
  expired: VerifyCode.CONSENT_EXPIRED,
};

/** Why a token bound to `consent` cannot be used at `at`, or null when the consent allows it. */
export function consentRefusal(consent: ConsentWindow, at: Date): VerifyCode | null {
  const status = consentStatusAt(consent, at);
  return status === 'active' ? null : REFUSAL[status];
}

/** The token's categories its consent does not cover (a token may reach no more than was consented). */
export function uncoveredCategories(tokenCategories: readonly string[], consentCategories: readonly string[]): string[] {
  const covered = new Set(consentCategories);
  return tokenCategories.filter((c) => !covered.has(c));
}

/** The token's categories that the tenant's policy binds to a consent. */
export function categoriesNeedingConsent(tokenCategories: readonly string[], requireConsentFor: readonly string[]): string[] {
  const required = new Set(requireConsentFor);
  return tokenCategories.filter((c) => required.has(c));
}

/** A data category: lower-case words, as in `personal`, `health`, `payment_card`. */
export const DATA_CATEGORY_PATTERN = /^[a-z][a-z0-9_-]{0,49}$/;
