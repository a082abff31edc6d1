import { REVIEW_OVERDUE_ACTIONS, type FieldError, type ReviewOverdueAction, type ReviewScope } from '@custos/contracts';

/** How a tenant runs access reviews (PUT /v1/policy { reviews }). */
export interface ReviewPolicy {
  /** Open a campaign every this many days; null: no scheduled campaigns. */
  intervalDays: number | null;
  /** What scheduled campaigns review. */
  scope: ReviewScope;
  /** A scheduled campaign is due this many days after it opens. */
  dueInDays: number;
  /** What happens to undecided tokens at the due date, unless a campaign says otherwise. */
  onOverdue: ReviewOverdueAction;
  /** The review.reminder webhook goes out this many days before the due date (0: none). */
  remindBeforeDays: number;
  /** A steward does not review a token they issued to themselves: an owner or admin does. */
  separationOfDuties: boolean;
}

export const REVIEW_POLICY_DEFAULTS: ReviewPolicy = {
  intervalDays: null,
  scope: { all: true },
  dueInDays: 14,
  onOverdue: 'none',
  remindBeforeDays: 3,
  separationOfDuties: false,
};

export const REVIEW_INTERVAL_MAX_DAYS = 366;
export const REVIEW_DUE_MAX_DAYS = 90;

/** The stored policy (what the tenant set, laid over the defaults). */
export function reviewPolicyOf(stored: Partial<ReviewPolicy> | null | undefined): ReviewPolicy {
  return { ...REVIEW_POLICY_DEFAULTS, ...(stored ?? {}) };
}

const isWholeIn = (n: unknown, min: number, max: number): boolean => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

/** What is wrong with a review policy, as field errors under `reviews.`. */
export function reviewPolicyProblems(p: ReviewPolicy): FieldError[] {
  const problems: FieldError[] = [];
  const intervalOk = p.intervalDays === null || isWholeIn(p.intervalDays, 1, REVIEW_INTERVAL_MAX_DAYS);
  if (!intervalOk) problems.push({ field: 'reviews.intervalDays', message: `must be a whole number of days from 1 to ${REVIEW_INTERVAL_MAX_DAYS}, or null` });
  if (!isWholeIn(p.dueInDays, 1, REVIEW_DUE_MAX_DAYS)) problems.push({ field: 'reviews.dueInDays', message: `must be from 1 to ${REVIEW_DUE_MAX_DAYS} days` });
  else if (intervalOk && p.intervalDays !== null && p.dueInDays > p.intervalDays) {
    problems.push({ field: 'reviews.dueInDays', message: 'must not exceed intervalDays: a campaign is due before the next one opens' });
  }
  if (!isWholeIn(p.remindBeforeDays, 0, REVIEW_DUE_MAX_DAYS)) problems.push({ field: 'reviews.remindBeforeDays', message: `must be from 0 to ${REVIEW_DUE_MAX_DAYS} days` });
  if (!(REVIEW_OVERDUE_ACTIONS as readonly string[]).includes(p.onOverdue)) {
    problems.push({ field: 'reviews.onOverdue', message: `must be one of ${REVIEW_OVERDUE_ACTIONS.join(', ')}` });
  }
  problems.push(...reviewScopeProblems(p.scope, 'reviews.scope'));
  return problems;
}

/** A scope names all tokens, or at least one criterion; never both, never nothing. */
export function reviewScopeProblems(scope: ReviewScope, field = 'scope'): FieldError[] {
  const criteria = [scope.serviceIds, scope.dataCategories, scope.scopesAny].filter((c) => c !== undefined);
  if (scope.all === true && criteria.length > 0) return [{ field, message: 'give either all: true or criteria, not both' }];
  if (scope.all !== true && criteria.length === 0) return [{ field, message: 'give all: true, or at least one of serviceIds, dataCategories, scopesAny' }];
  const empty = criteria.some((c) => c!.length === 0);
  return empty ? [{ field, message: 'a criterion lists at least one value' }] : [];
}

const DAY_MS = 86_400_000;

/**
 * The period a scheduled campaign is due for at `now`: the latest anchor + k × interval not after now.
 * Periods missed while no worker ran collapse into this one: one campaign, not a backlog.
 */
export function scheduledPeriodAt(anchor: Date, intervalDays: number, now: Date): Date {
  const interval = intervalDays * DAY_MS;
  const k = Math.max(0, Math.floor((now.getTime() - anchor.getTime()) / interval));
  return new Date(anchor.getTime() + k * interval);
}

/** When the reminder goes out: remindBeforeDays before the due date, but not before the campaign opened; null for none. */
export function reminderAt(openedAt: Date, dueAt: Date, remindBeforeDays: number): Date | null {
  if (remindBeforeDays <= 0) return null;
  return new Date(Math.max(openedAt.getTime(), dueAt.getTime() - remindBeforeDays * DAY_MS));
}
