import { FRAMEWORKS, type Framework } from '@custos/contracts';
import { daysFromSearch, withSearch, type DaySelection } from '../../../shared/period/day-period';

const DEFAULT_FRAMEWORK: Framework = 'soc2';
/** The period the page opens on: the last 30 days, today included. */
const DEFAULT_PERIOD_DAYS = 30;

/** URL keys of the compliance page: framework, period (calendar days) and the control open in the drawer. */
export type ComplianceSearchKey = 'framework' | 'from' | 'to' | 'control';

/** What the pickers hold: a framework and a period of whole days, `fromDay` to `toDay` inclusive (YYYY-MM-DD). */
export interface ComplianceSelection extends DaySelection {
  framework: Framework;
}

const isFramework = (value: string | null): value is Framework => value !== null && (FRAMEWORKS as readonly string[]).includes(value);

/**
 * The pickers' values from the URL, so a view can be shared and survives the log-in detour; what is
 * missing or malformed falls back to SOC 2 over the last 30 days.
 */
export function selectionFromSearch(search: URLSearchParams, now: Date): ComplianceSelection {
  const framework = search.get('framework');
  return { framework: isFramework(framework) ? framework : DEFAULT_FRAMEWORK, ...daysFromSearch(search, now, DEFAULT_PERIOD_DAYS) };
}

/** Sets or clears (null, empty) the given keys, leaving the others. */
export function withComplianceSearch(search: URLSearchParams, update: Partial<Record<ComplianceSearchKey, string | null>>): URLSearchParams {
  return withSearch(search, update);
}
