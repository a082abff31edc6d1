import { ALERT_RULES, ALERT_SEVERITIES, ALERT_STATUSES } from '@custos/contracts';
import { withSearch } from '../../../shared/period/day-period';
import { ruleLabel } from './alert-format';
import type { AlertListParams, AlertRule, AlertSeverity, AlertStatus } from './alerts.queries';

export const ALERTS_PAGE_SIZE = 25;

/** The inbox opens on what needs someone: open alerts. "all" drops the status filter. */
export const DEFAULT_ALERT_STATUS: AlertStatus = 'open';

export type AlertStatusFilter = AlertStatus | 'all';

/** URL keys of the inbox. */
export type AlertSearchKey = 'status' | 'severity' | 'rule';

export interface AlertFilters {
  status: AlertStatusFilter;
  severity: AlertSeverity | null;
  rule: AlertRule | null;
}

const isOneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string | null): value is T =>
    value !== null && (values as readonly string[]).includes(value);

const isStatus = isOneOf<AlertStatusFilter>([...ALERT_STATUSES, 'all']);
const isSeverity = isOneOf<AlertSeverity>(ALERT_SEVERITIES);
const isRule = isOneOf<AlertRule>(ALERT_RULES);

/**
 * The filters live in the URL like the inventory's, so a view can be shared and survives the log-in
 * detour; unknown values are dropped rather than sent to be refused.
 */
export function alertFiltersFromSearch(search: URLSearchParams): AlertFilters {
  const status = search.get('status');
  const severity = search.get('severity');
  const rule = search.get('rule');
  return {
    status: isStatus(status) ? status : DEFAULT_ALERT_STATUS,
    severity: isSeverity(severity) ? severity : null,
    rule: isRule(rule) ? rule : null,
  };
}

export function alertListParams(filters: AlertFilters): AlertListParams {
  return {
    limit: ALERTS_PAGE_SIZE,
    ...(filters.status === 'all' ? {} : { status: filters.status }),
    ...(filters.severity ? { severity: filters.severity } : {}),
    ...(filters.rule ? { rule: filters.rule } : {}),
  };
}

/** Sets or clears the given keys; the default status is left out of the URL, so `/alerts` is the open inbox. */
export function withAlertSearch(search: URLSearchParams, update: Partial<Record<AlertSearchKey, string | null>>): URLSearchParams {
  const status = update.status === DEFAULT_ALERT_STATUS ? null : update.status;
  return withSearch(search, 'status' in update ? { ...update, status } : update);
}

/** The inbox's path for a filter, e.g. the overview's link to open critical alerts. */
export function alertsPath(update: Partial<Record<AlertSearchKey, string | null>>): string {
  const query = withAlertSearch(new URLSearchParams(), update).toString();
  return query ? `/alerts?${query}` : '/alerts';
}

/** The empty inbox's title, naming the filters in force: "No open alerts", "No resolved high alerts of the rule Many networks". */
export function emptyTitle(filters: AlertFilters): string {
  const words = ['No', filters.status === 'all' ? null : filters.status, filters.severity, 'alerts', filters.rule ? `of the rule ${ruleLabel(filters.rule)}` : null];
  return words.filter((w): w is string => w !== null).join(' ');
}
