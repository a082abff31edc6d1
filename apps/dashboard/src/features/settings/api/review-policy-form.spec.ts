import { describe, expect, it } from '@jest/globals';
import { policyFixture } from '../../../test/policy-fixtures';
import { reviewValuesOf, toReviewPolicyRequest, validateReviewPolicy } from './review-policy-form';

const VALUES = reviewValuesOf(policyFixture().reviews);

describe('review policy fields', () => {
  it('show no schedule as a blank interval, and send it back as null with the scope unchanged', () => {
    expect(VALUES.intervalDays).toBe('');
    expect(toReviewPolicyRequest(VALUES)).toEqual({ intervalDays: null, scope: { all: true }, dueInDays: 14, onOverdue: 'none', remindBeforeDays: 3, separationOfDuties: false });
  });

  it('refuse what the API refuses: days out of range, a campaign due after the next one opens', () => {
    expect(validateReviewPolicy(VALUES)).toEqual({});
    expect(validateReviewPolicy({ ...VALUES, intervalDays: 0, dueInDays: 91, remindBeforeDays: -1 })).toEqual({
      'reviews.intervalDays': 'A whole number of days from 1 to 366, or blank for none',
      'reviews.dueInDays': 'A whole number of days from 1 to 90',
      'reviews.remindBeforeDays': 'A whole number of days from 0 to 90',
    });
    expect(validateReviewPolicy({ ...VALUES, intervalDays: 10, dueInDays: 14 })).toEqual({
      'reviews.dueInDays': 'At most the interval: a campaign is due before the next one opens',
    });
  });
});
