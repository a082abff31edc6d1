import { daysFromSearch, periodOf, withSearch, type DaySelection, type Period } from '../../../shared/period/day-period';
import { timeGroupingOf } from './usage-chart';
import type { CrossBorderParams, UsageCountsParams, UsageEventsParams } from './usage.queries';

/** The period the page opens on: the last 30 days, today included. */
const DEFAULT_PERIOD_DAYS = 30;

/** URL keys of the usage page: whose uses (a token, a service's tokens) and the period (calendar days). */
export type UsageSearchKey = 'token' | 'service' | 'from' | 'to';

export interface UsageSelection extends DaySelection {
  tokenId: string | null;
  serviceId: string | null;
}

/** The filters from the URL, so a view can be shared and survives the log-in detour; a missing or malformed day falls back to the last 30 days. */
export function usageSelectionFromSearch(search: URLSearchParams, now: Date): UsageSelection {
  return {
    tokenId: search.get('token') || null,
    serviceId: search.get('service') || null,
    ...daysFromSearch(search, now, DEFAULT_PERIOD_DAYS),
  };
}

export function withUsageSearch(search: URLSearchParams, update: Partial<Record<UsageSearchKey, string | null>>): URLSearchParams {
  return withSearch(search, update);
}

/** What every request of the page asks: whose uses, in which period (null while the days run backwards). */
export interface UsageRequests {
  period: Period;
  overTime: UsageCountsParams;
  byCountry: UsageCountsParams;
  events: Omit<UsageEventsParams, 'limit'>;
  crossBorder: CrossBorderParams;
}

export function usageRequestsOf(selection: UsageSelection): UsageRequests | null {
  const period = periodOf(selection);
  if (!period) return null;
  const whose = { ...(selection.tokenId ? { tokenId: selection.tokenId } : {}), ...(selection.serviceId ? { serviceId: selection.serviceId } : {}) };
  return {
    period,
    overTime: { ...whose, ...period, groupBy: timeGroupingOf(period) },
    byCountry: { ...whose, ...period, groupBy: 'country' },
    events: { ...whose, ...period },
    crossBorder: { ...whose, ...period },
  };
}
