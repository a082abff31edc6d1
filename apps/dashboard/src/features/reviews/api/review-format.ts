import dayjs from 'dayjs';
import type { CampaignProgress, CreateCampaignRequest, Decision, OverdueAction, Reviewer, ReviewItem, ReviewItemStatus, ReviewScope } from './reviews.queries';

export const OVERDUE_LABELS: Readonly<Record<OverdueAction, string>> = {
  none: 'Nothing: the token stays as it is',
  suspend: 'Suspend the token',
  revoke: 'Revoke the token',
};

export const OVERDUE_OPTIONS = (Object.keys(OVERDUE_LABELS) as OverdueAction[]).map((value) => ({ value, label: OVERDUE_LABELS[value] }));

export const DECISION_LABELS: Readonly<Record<Decision, string>> = { keep: 'Kept', narrow: 'Narrowed', revoke: 'Revoked' };

export const ITEM_STATUS_COLORS: Readonly<Record<ReviewItemStatus, string>> = { pending: 'blue', decided: 'green', overdue: 'red' };

/** What a campaign reviews, in words; service ids are shown by name when `serviceName` knows them. */
export function scopeSummary(scope: ReviewScope, serviceName: (id: string) => string = (id) => id): string {
  if (scope.all === true) return 'All active tokens';
  const parts: string[] = [];
  if (scope.serviceIds?.length) parts.push(`services ${scope.serviceIds.map(serviceName).join(', ')}`);
  if (scope.dataCategories?.length) parts.push(`data categories ${scope.dataCategories.join(', ')}`);
  if (scope.scopesAny?.length) parts.push(`any scope of ${scope.scopesAny.join(', ')}`);
  return parts.length === 0 ? 'No tokens' : `Tokens of ${parts.join('; ')}`;
}

/** "steward", or the named reviewer's e-mail when known (its id otherwise). */
export function reviewerSummary(reviewer: Reviewer, email: (id: string) => string | undefined = () => undefined): string {
  if (reviewer === 'steward') return "Each token's steward";
  return email(reviewer.userId) ?? reviewer.userId;
}

/** A campaign's progress as the bar draws it: percentages of all items decided and overdue. */
export interface ProgressParts {
  decided: number;
  total: number;
  decidedPercent: number;
  overduePercent: number;
}

export function progressParts(progress: CampaignProgress): ProgressParts {
  const decided = progress.decided.keep + progress.decided.narrow + progress.decided.revoke;
  const percent = (n: number) => (progress.total === 0 ? 0 : (n / progress.total) * 100);
  return { decided, total: progress.total, decidedPercent: percent(decided), overduePercent: percent(progress.overdue) };
}

/**
 * What a narrow keeps unless the reviewer picks otherwise: the scopes used in the last 90 days. A token
 * none of whose scopes was used has no default: the reviewer picks, or revokes it.
 */
export function defaultNarrowScopes(item: Pick<ReviewItem, 'tokenScopes' | 'scopesUsed90d'>): string[] {
  return item.tokenScopes.filter((s) => item.scopesUsed90d.includes(s));
}

/** The form's fields of a new campaign, as the create form holds them. */
export interface CampaignFormValues {
  name: string;
  /** Every active token, or those matching every criterion given. */
  scopeKind: 'all' | 'criteria';
  serviceIds: string[];
  dataCategories: string[];
  scopesAny: string[];
  /** The due day (YYYY-MM-DD, local): the campaign is due at its end. */
  dueDay: string | null;
  reviewerKind: 'steward' | 'user';
  reviewerUserId: string | null;
  onOverdue: OverdueAction;
}

export function campaignFormDefaults(onOverdue: OverdueAction = 'none', dueInDays = 14, now: Date = new Date()): CampaignFormValues {
  return {
    name: '',
    scopeKind: 'all',
    serviceIds: [],
    dataCategories: [],
    scopesAny: [],
    dueDay: dayjs(now).add(dueInDays, 'day').format('YYYY-MM-DD'),
    reviewerKind: 'steward',
    reviewerUserId: null,
    onOverdue,
  };
}

/** What the form lacks before it can be sent, by field; the API checks the rest (a due day too far, an unknown user). */
export function validateCampaignForm(values: CampaignFormValues, now: Date = new Date()): Partial<Record<keyof CampaignFormValues, string>> {
  const errors: Partial<Record<keyof CampaignFormValues, string>> = {};
  if (values.name.trim() === '') errors.name = 'Name the campaign';
  if (values.scopeKind === 'criteria' && values.serviceIds.length + values.dataCategories.length + values.scopesAny.length === 0) {
    errors.scopeKind = 'Give at least one service, data category or scope';
  }
  if (values.dueDay === null) errors.dueDay = 'Pick the due date';
  else if (!dayjs(values.dueDay).endOf('day').isAfter(now)) errors.dueDay = 'The due date must be in the future';
  if (values.reviewerKind === 'user' && !values.reviewerUserId) errors.reviewerUserId = 'Pick the reviewer';
  return errors;
}

/** The POST /v1/access-reviews body: only the criteria given, the due date at the end of the local day. */
export function toCampaignRequest(values: CampaignFormValues): CreateCampaignRequest {
  const scope: ReviewScope =
    values.scopeKind === 'all'
      ? { all: true }
      : {
          ...(values.serviceIds.length ? { serviceIds: values.serviceIds } : {}),
          ...(values.dataCategories.length ? { dataCategories: values.dataCategories } : {}),
          ...(values.scopesAny.length ? { scopesAny: values.scopesAny } : {}),
        };
  return {
    name: values.name.trim(),
    scope,
    dueAt: dayjs(values.dueDay).endOf('day').toISOString(),
    reviewer: values.reviewerKind === 'user' && values.reviewerUserId ? { userId: values.reviewerUserId } : 'steward',
    onOverdue: values.onOverdue,
  };
}

/** Whether the due date has passed. */
export function isPastDue(dueAt: string, now: number = Date.now()): boolean {
  return Date.parse(dueAt) <= now;
}
