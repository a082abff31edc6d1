import type { Policy, PolicyRequest } from './policy.queries';

type ReviewPolicy = Policy['reviews'];

/** The longest interval between scheduled campaigns, and the longest a campaign or reminder runs (libs/domain/src/reviews/review-policy.ts). */
export const REVIEW_INTERVAL_MAX_DAYS = 366;
export const REVIEW_DUE_MAX_DAYS = 90;

/** Settings' access review fields; a blank interval means no scheduled campaigns. */
export interface ReviewPolicyValues {
  intervalDays: number | string;
  dueInDays: number | string;
  remindBeforeDays: number | string;
  onOverdue: ReviewPolicy['onOverdue'];
  separationOfDuties: boolean;
  /** What scheduled campaigns review: not edited here, sent back as it is. */
  scope: ReviewPolicy['scope'];
}

export function reviewValuesOf(reviews: ReviewPolicy): ReviewPolicyValues {
  return {
    intervalDays: reviews.intervalDays ?? '',
    dueInDays: reviews.dueInDays,
    remindBeforeDays: reviews.remindBeforeDays,
    onOverdue: reviews.onOverdue,
    separationOfDuties: reviews.separationOfDuties,
    scope: reviews.scope,
  };
}

const isWhole = (v: number | string, min: number, max: number) => v !== '' && Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;

/** Messages keyed by the form's paths (`reviews.dueInDays`), as the API would give them. */
export function validateReviewPolicy(values: ReviewPolicyValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.intervalDays !== '' && !isWhole(values.intervalDays, 1, REVIEW_INTERVAL_MAX_DAYS)) {
    errors['reviews.intervalDays'] = `A whole number of days from 1 to ${REVIEW_INTERVAL_MAX_DAYS}, or blank for none`;
  }
  if (!isWhole(values.dueInDays, 1, REVIEW_DUE_MAX_DAYS)) errors['reviews.dueInDays'] = `A whole number of days from 1 to ${REVIEW_DUE_MAX_DAYS}`;
  else if (values.intervalDays !== '' && Number(values.dueInDays) > Number(values.intervalDays)) {
    errors['reviews.dueInDays'] = 'At most the interval: a campaign is due before the next one opens';
  }
  if (!isWhole(values.remindBeforeDays, 0, REVIEW_DUE_MAX_DAYS)) errors['reviews.remindBeforeDays'] = `A whole number of days from 0 to ${REVIEW_DUE_MAX_DAYS}`;
  return errors;
}

export function toReviewPolicyRequest(values: ReviewPolicyValues): NonNullable<PolicyRequest['reviews']> {
  return {
    intervalDays: values.intervalDays === '' ? null : Number(values.intervalDays),
    scope: values.scope,
    dueInDays: Number(values.dueInDays),
    onOverdue: values.onOverdue,
    remindBeforeDays: Number(values.remindBeforeDays),
    separationOfDuties: values.separationOfDuties,
  };
}

/** Every path of the access review fields an API error may land on. */
export function reviewFormPaths(): string[] {
  return ['reviews', 'reviews.intervalDays', 'reviews.dueInDays', 'reviews.onOverdue', 'reviews.remindBeforeDays', 'reviews.separationOfDuties'];
}
