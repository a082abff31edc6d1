import { describe, expect, it } from '@jest/globals';
import { fromPickerValue, initialConsentValues, toCreateConsentRequest, toPickerValue, validateConsent, validateRenewal, type ConsentFormValues } from './consent-form';

const values = (over: Partial<ConsentFormValues>): ConsentFormValues => ({
  ...initialConsentValues(new Date(2026, 0, 1, 9, 30)),
  subjectRef: 'cust_8f3a2c',
  purpose: 'newsletter',
  dataCategories: ['email'],
  ...over,
});

describe('validateConsent', () => {
  it('accepts a complete consent, a year long by default', () => {
    const v = values({});
    expect(validateConsent(v)).toEqual({});
    expect(v.validFrom).toBe('2026-01-01 09:30:00');
    expect(v.validUntil).toBe('2027-01-01 09:30:00');
  });

  it('refuses a subject reference that looks like an e-mail address', () => {
    expect(validateConsent(values({ subjectRef: 'jane.doe@example.com' })).subjectRef).toMatch(/pseudonymous/);
    expect(validateConsent(values({ subjectRef: '  ' })).subjectRef).toMatch(/pseudonymous/);
    // Nor a name: no spaces.
    expect(validateConsent(values({ subjectRef: 'Jane Doe' })).subjectRef).toMatch(/no spaces/);
  });

  it('needs a purpose, categories, a region code and an end after the start', () => {
    expect(validateConsent(values({ purpose: 'Newsletter' })).purpose).toMatch(/Lower-case/);
    const errors = validateConsent(
      values({ purpose: '', dataCategories: ['E-Mail'], jurisdiction: 'Europe', validFrom: '2026-05-01 00:00:00', validUntil: '2026-04-01 00:00:00' }),
    );
    expect(Object.keys(errors).sort()).toEqual(['dataCategories', 'jurisdiction', 'purpose', 'validUntil']);
    expect(validateConsent(values({ dataCategories: [] })).dataCategories).toMatch(/at least one/);
    expect(validateConsent(values({ jurisdiction: 'US-CA' }))).toEqual({});
  });
});

describe('toCreateConsentRequest', () => {
  it('sends instants as ISO strings and leaves out an empty source', () => {
    const body = toCreateConsentRequest(values({ subjectRef: ' cust_1 ', validFrom: '2026-03-01 12:00:00', validUntil: '2027-03-01 12:00:00' }));
    expect(body).toEqual({
      subjectRef: 'cust_1',
      purpose: 'newsletter',
      dataCategories: ['email'],
      lawfulBasis: 'consent',
      jurisdiction: 'EU',
      validFrom: new Date(2026, 2, 1, 12).toISOString(),
      validUntil: new Date(2027, 2, 1, 12).toISOString(),
    });
    expect(toCreateConsentRequest(values({ source: 'signup-form-v3' })).source).toBe('signup-form-v3');
  });
});

describe('picker values', () => {
  it('read and write local time', () => {
    const d = new Date(2026, 6, 4, 8, 5);
    expect(toPickerValue(d)).toBe('2026-07-04 08:05:00');
    expect(fromPickerValue('2026-07-04 08:05:00')).toBe(d.getTime());
    expect(Number.isNaN(fromPickerValue(null))).toBe(true);
  });
});

describe('validateRenewal', () => {
  it('wants an end later than the current one, and in the future', () => {
    const current = new Date(2026, 5, 1).toISOString();
    const now = new Date(2026, 0, 1).getTime();
    expect(validateRenewal('2026-05-01 00:00:00', current, now)).toMatch(/later/);
    expect(validateRenewal('2027-06-01 00:00:00', current, now)).toBeNull();
    expect(validateRenewal('2027-06-01 00:00:00', current, new Date(2028, 0, 1).getTime())).toMatch(/future/);
    expect(validateRenewal(null, current, now)).toMatch(/Choose/);
  });
});
