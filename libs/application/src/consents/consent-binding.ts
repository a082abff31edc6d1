import { ErrorCode } from '@custos/contracts';
import { DATA_CATEGORY_PATTERN, DomainError, categoriesNeedingConsent, consentStatusAt, uncoveredCategories } from '@custos/domain';
import { ConsentRepository, type BindableConsent, type Tx } from '@custos/persistence';

export interface ConsentBinding {
  consentId: string | null;
  dataCategories: string[];
  /** The end of the bound consent's window (null when unbound): a successor's expiry is capped by it. */
  validUntil: Date | null;
}

/**
 * The consent is locked (FOR SHARE) for the rest of the caller's transaction. A withdrawal locks it FOR
 * UPDATE, so the two are ordered: either the withdrawal waits and then revokes the token this
 * transaction issues, or the issue waits and then sees the consent withdrawn. A token issued while its
 * consent is withdrawn can never end up valid.
 */
export type ConsentLocks = Pick<ConsentRepository, 'lockForBinding'>;

/**
 * The repository is stateless (each call runs in the transaction it is given), so one instance serves
 * every caller that does not pass its own: the token issuer calls these functions within its own
 * transaction and can inject ConsentRepository and pass it once it wants to.
 */
const consentLocks: ConsentLocks = new ConsentRepository();

function assertInForce(consent: BindableConsent, now: Date, field: string): void {
  const status = consentStatusAt(consent, now);
  if (status === 'withdrawn' || status === 'expired') {
    throw new DomainError(ErrorCode.CONSENT_INACTIVE, `The consent was ${status === 'withdrawn' ? 'withdrawn' : 'in force only until ' + consent.validUntil.toISOString()}; no token can be bound to it.`, [
      { field, message: `is ${status}` },
    ]);
  }
}

/**
 * A new token's consent and data categories: the categories must be well formed; those the tenant's
 * policy names need a consent; a consent must exist in the tenant, be in force or upcoming, and cover
 * every category of the token.
 */
export async function bindConsent(
  tx: Tx,
  input: { consentId?: string | undefined; dataCategories?: readonly string[] | undefined },
  requireConsentFor: readonly string[],
  now: Date,
  consents: ConsentLocks = consentLocks,
): Promise<ConsentBinding> {
  const categories = [...new Set(input.dataCategories ?? [])];
  const malformed = categories.filter((c) => !DATA_CATEGORY_PATTERN.test(c));
  if (malformed.length > 0) {
    throw DomainError.validation([{ field: 'dataCategories', message: `must be lower-case words: ${malformed.join(', ')}` }]);
  }
  if (!input.consentId) {
    const needing = categoriesNeedingConsent(categories, requireConsentFor);
    if (needing.length > 0) {
      throw new DomainError(ErrorCode.CONSENT_REQUIRED, `The tenant's policy requires a consent for ${needing.join(', ')} data.`, [
        { field: 'consentId', message: `is required for the data categories ${needing.join(', ')}` },
      ]);
    }
    return { consentId: null, dataCategories: categories, validUntil: null };
  }
  const consent = await consents.lockForBinding(tx, input.consentId);
  if (!consent) throw DomainError.validation([{ field: 'consentId', message: 'is not a consent of this tenant' }]);
  assertInForce(consent, now, 'consentId');
  const uncovered = uncoveredCategories(categories, consent.dataCategories);
  if (uncovered.length > 0) {
    throw DomainError.validation([{ field: 'dataCategories', message: `are not covered by the consent: ${uncovered.join(', ')}` }]);
  }
  return { consentId: input.consentId, dataCategories: categories, validUntil: consent.validUntil };
}

/**
 * A rotation keeps the binding, and needs the consent still in force (or upcoming); the successor's
 * expiry is then capped at the window's end. Null for an unbound token.
 */
export async function rebindConsent(tx: Tx, consentId: string | null, now: Date, consents: ConsentLocks = consentLocks): Promise<Date | null> {
  if (!consentId) return null;
  const consent = await consents.lockForBinding(tx, consentId);
  if (!consent) throw new Error(`token bound to missing consent ${consentId}`);
  assertInForce(consent, now, 'consentId');
  return consent.validUntil;
}

