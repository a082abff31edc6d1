import { describe, expect, it } from '@jest/globals';
import { answerOf, hasPendingDelivery } from './deliveries';

describe('webhook deliveries as the page shows them', () => {
  it('keeps reading the list while a delivery is pending, and only then', () => {
    expect(hasPendingDelivery([{ status: 'delivered' }, { status: 'pending' }])).toBe(true);
    expect(hasPendingDelivery([{ status: 'delivered' }, { status: 'failed' }, { status: 'cancelled' }])).toBe(false);
    expect(hasPendingDelivery([])).toBe(false);
  });

  it('says what the receiver answered, or why there was no answer, or nothing before the first attempt', () => {
    expect(answerOf(204, null)).toBe('HTTP 204');
    expect(answerOf(302, 'redirects are not followed')).toBe('HTTP 302: redirects are not followed');
    expect(answerOf(undefined, 'connect ECONNREFUSED 127.0.0.1:9')).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(answerOf(null, null)).toBeNull();
    expect(answerOf(undefined, undefined)).toBeNull();
  });
});
