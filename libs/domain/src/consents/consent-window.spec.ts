import { VerifyCode } from '@custos/contracts';
import { IpAllowList } from '../tokens/ip-allowlist';
import { evaluateToken, type VerifiableToken } from '../tokens/verify-rules';
import { categoriesNeedingConsent, consentRefusal, consentStatusAt, uncoveredCategories } from './consent-window';

const at = new Date('2026-06-01T12:00:00Z');
const window = (from: string, until: string, withdrawn: string | null = null) => ({
  validFrom: new Date(from),
  validUntil: new Date(until),
  withdrawnAt: withdrawn ? new Date(withdrawn) : null,
});

describe('consent window', () => {
  it('is upcoming before validFrom, active from it, expired at validUntil itself', () => {
    const w = window('2026-06-01T12:00:00Z', '2026-06-02T12:00:00Z');
    expect(consentStatusAt(w, new Date('2026-06-01T11:59:59.999Z'))).toBe('upcoming');
    expect(consentStatusAt(w, at)).toBe('active');
    expect(consentStatusAt(w, new Date('2026-06-02T12:00:00Z'))).toBe('expired');
  });

  it('is withdrawn whatever the window says', () => {
    expect(consentStatusAt(window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-03-01T00:00:00Z'), at)).toBe('withdrawn');
    expect(consentRefusal(window('2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-03-01T00:00:00Z'), at)).toBe(VerifyCode.CONSENT_WITHDRAWN);
  });

  it('maps each status but active to its verify code', () => {
    expect(consentRefusal(window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), at)).toBeNull();
    expect(consentRefusal(window('2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z'), at)).toBe(VerifyCode.CONSENT_NOT_YET_VALID);
    expect(consentRefusal(window('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), at)).toBe(VerifyCode.CONSENT_EXPIRED);
  });

  it('names the categories a consent does not cover and those the policy binds to one', () => {
    expect(uncoveredCategories(['personal', 'health'], ['personal'])).toEqual(['health']);
    expect(uncoveredCategories([], ['personal'])).toEqual([]);
    expect(categoriesNeedingConsent(['telemetry', 'health'], ['personal', 'health'])).toEqual(['health']);
  });
});

describe('verify order with consents', () => {
  const token = (overrides: Partial<VerifiableToken>): VerifiableToken => ({
    status: 'active',
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    graceEndsAt: null,
    notBefore: null,
    scopes: ['orders:read'],
    allowList: new IpAllowList([]),
    remainingUses: null,
    ...overrides,
  });
  const evaluate = (t: VerifiableToken) => evaluateToken(t, { requiredScopes: ['orders:read'], now: at });

  it('answers CONSENT_WITHDRAWN rather than REVOKED for a token its withdrawal revoked', () => {
    expect(evaluate(token({ status: 'revoked', consent: window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-05-01T00:00:00Z') })))
      .toBe(VerifyCode.CONSENT_WITHDRAWN);
  });

  it('checks the consent before the token status and expiry, and CONSENT_REQUIRED first of all', () => {
    expect(evaluate(token({ status: 'expired', consent: window('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z') }))).toBe(VerifyCode.CONSENT_EXPIRED);
    expect(evaluate(token({ consentRequired: true, status: 'suspended' }))).toBe(VerifyCode.CONSENT_REQUIRED);
  });

  it('leaves tokens without a consent to the usual checks', () => {
    expect(evaluate(token({}))).toBe(VerifyCode.VALID);
    expect(evaluate(token({ consent: null, status: 'revoked' }))).toBe(VerifyCode.REVOKED);
    expect(evaluate(token({ consent: window('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), scopes: [] }))).toBe(VerifyCode.INSUFFICIENT_SCOPE);
  });
});
