import { describe, expect, it } from '@jest/globals';
import { centerFromSearch, consentParamsFromSearch, withConsentSearch, zoomFromSearch } from './consent-filters';

describe('consent page URL state', () => {
  it('sends the known filters and drops the rest', () => {
    const search = new URLSearchParams('purpose=%20newsletter%20&subjectRef=cust_1&status=gone&zoom=decade&consent=cns_1');
    expect(consentParamsFromSearch(search)).toEqual({ limit: 100, purpose: 'newsletter', subjectRef: 'cust_1' });
    expect(consentParamsFromSearch(new URLSearchParams('status=withdrawn')).status).toBe('withdrawn');
    expect(zoomFromSearch(search)).toBe('year');
    expect(zoomFromSearch(new URLSearchParams('zoom=week'))).toBe('week');
  });

  it('centres on `at` when it is a date, else on now', () => {
    expect(centerFromSearch(new URLSearchParams('at=2026-02-01T00:00:00.000Z'), 5)).toBe(Date.parse('2026-02-01T00:00:00.000Z'));
    expect(centerFromSearch(new URLSearchParams('at=soon'), 5)).toBe(5);
  });

  it('sets and clears keys one at a time', () => {
    const next = withConsentSearch(new URLSearchParams('purpose=a&status=active'), { status: null, consent: 'cns_1' });
    expect(next.toString()).toBe('purpose=a&consent=cns_1');
  });
});
