import { REVIEW_POLICY_DEFAULTS, reminderAt, reviewPolicyOf, reviewPolicyProblems, reviewScopeProblems, scheduledPeriodAt } from './review-policy';
import { isSelfIssued, reviewerOf } from './review-assignment';

const DAY = 86_400_000;

describe('the review policy', () => {
  it('lays what the tenant set over the defaults', () => {
    expect(reviewPolicyOf({})).toEqual(REVIEW_POLICY_DEFAULTS);
    expect(reviewPolicyOf({ intervalDays: 90, onOverdue: 'suspend' })).toEqual({ ...REVIEW_POLICY_DEFAULTS, intervalDays: 90, onOverdue: 'suspend' });
  });

  it.each([
    [{ intervalDays: 0 }, 'reviews.intervalDays'],
    [{ intervalDays: 1.5 }, 'reviews.intervalDays'],
    [{ intervalDays: 400 }, 'reviews.intervalDays'],
    [{ dueInDays: 0 }, 'reviews.dueInDays'],
    [{ intervalDays: 7, dueInDays: 14 }, 'reviews.dueInDays'],
    [{ remindBeforeDays: -1 }, 'reviews.remindBeforeDays'],
    [{ scope: {} }, 'reviews.scope'],
  ])('refuses %j, naming %s', (change, field) => {
    expect(reviewPolicyProblems({ ...REVIEW_POLICY_DEFAULTS, ...change }).map((p) => p.field)).toEqual([field]);
  });

  it('accepts a quarterly schedule of the tokens reaching personal data', () => {
    expect(reviewPolicyProblems({ ...REVIEW_POLICY_DEFAULTS, intervalDays: 90, dueInDays: 14, scope: { dataCategories: ['personal'] } })).toEqual([]);
  });
});

describe('a campaign scope', () => {
  it('is all tokens or criteria, never both and never nothing', () => {
    expect(reviewScopeProblems({ all: true })).toEqual([]);
    expect(reviewScopeProblems({ scopesAny: ['orders:write'], serviceIds: ['svc_1'] })).toEqual([]);
    expect(reviewScopeProblems({ all: true, scopesAny: ['orders:write'] })).toHaveLength(1);
    expect(reviewScopeProblems({})).toHaveLength(1);
    expect(reviewScopeProblems({ all: false })).toHaveLength(1);
    expect(reviewScopeProblems({ dataCategories: [] })).toHaveLength(1);
  });
});

describe('the schedule', () => {
  const anchor = new Date('2026-01-01T00:00:00Z');

  it('counts periods from the anchor; missed ones collapse into the current one', () => {
    expect(scheduledPeriodAt(anchor, 90, anchor)).toEqual(anchor);
    expect(scheduledPeriodAt(anchor, 90, new Date(anchor.getTime() + 89 * DAY))).toEqual(anchor);
    expect(scheduledPeriodAt(anchor, 90, new Date(anchor.getTime() + 90 * DAY))).toEqual(new Date(anchor.getTime() + 90 * DAY));
    expect(scheduledPeriodAt(anchor, 90, new Date(anchor.getTime() + 400 * DAY))).toEqual(new Date(anchor.getTime() + 360 * DAY));
  });

  it('reminds remindBeforeDays before the due date, never before opening, and not at all with 0', () => {
    const due = new Date(anchor.getTime() + 14 * DAY);
    expect(reminderAt(anchor, due, 3)).toEqual(new Date(anchor.getTime() + 11 * DAY));
    expect(reminderAt(anchor, due, 30)).toEqual(anchor);
    expect(reminderAt(anchor, due, 0)).toBeNull();
  });
});

describe('who reviews a token', () => {
  const issuedByBob = { createdBy: 'usr_bob', stewardUserId: 'usr_ann' };
  const bobsOwn = { createdBy: 'usr_bob', stewardUserId: 'usr_bob' };

  it("is the steward, or the named reviewer; no steward means the owners and admins", () => {
    expect(reviewerOf(issuedByBob, 'steward', false)).toBe('usr_ann');
    expect(reviewerOf(issuedByBob, { userId: 'usr_cat' }, true)).toBe('usr_cat');
    expect(reviewerOf({ createdBy: null, stewardUserId: null }, 'steward', false)).toBeNull();
  });

  it('under separation of duties, never whoever issued the token to themselves', () => {
    expect(isSelfIssued(bobsOwn, 'usr_bob')).toBe(true);
    expect(reviewerOf(bobsOwn, 'steward', false)).toBe('usr_bob');
    expect(reviewerOf(bobsOwn, 'steward', true)).toBeNull();
    expect(reviewerOf(bobsOwn, { userId: 'usr_bob' }, true)).toBeNull();
    expect(reviewerOf(issuedByBob, 'steward', true)).toBe('usr_ann');
  });
});
