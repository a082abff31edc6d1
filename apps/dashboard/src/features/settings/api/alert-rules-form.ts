import { ALERT_RULES, type AlertRemediation, type AlertRule, type AlertSeverity } from '@custos/contracts';
import type { Policy, PolicyRequest } from './policy.queries';

/**
 * The Settings form's alert rules. Values keep PUT /v1/policy's paths (`alerts.rules.many_networks.threshold`),
 * so the API's field errors land on the inputs they name. A rule takes a threshold or a window only when
 * GET /v1/policy answered one for it: the others fire on one event, and a PUT giving them one is refused.
 */

type AlertPolicy = Policy['alerts'];
type AlertPolicyRequest = NonNullable<PolicyRequest['alerts']>;

/** The API's bounds (libs/domain alert-rules and the policy DTO), checked here first so a typo never makes a round trip. */
export const ALERT_THRESHOLD_MAX = 1_000_000;
export const ALERT_WINDOW_MIN_SECONDS = 10;
export const ALERT_WINDOW_MAX_SECONDS = 86_400;
/** new_country's look-back may reach back 90 days; every other window at most a day. */
export const NEW_COUNTRY_LOOKBACK_MAX_SECONDS = 90 * 86_400;
export const ACK_WITHIN_MAX_MINUTES = 10_080;

export interface AlertRuleValues {
  enabled: boolean;
  /** Only for the rules that count; a number, or '' while the field is empty. */
  threshold?: number | string;
  /** Only for the rules that count in a window, in seconds. */
  windowSeconds?: number | string;
  severity: AlertSeverity;
  remediation: AlertRemediation;
}

export interface AlertPolicyValues {
  rules: Record<AlertRule, AlertRuleValues>;
  ackWithinMinutes: number | string;
  remediateOwnerServiceKeys: boolean;
}

/** What a rule's threshold and window mean, under their fields. */
export const RULE_PARAMETER_HINTS: Readonly<Partial<Record<AlertRule, { threshold?: string; window?: string }>>> = {
  new_country: { window: 'How far back a country counts as seen' },
  many_networks: { threshold: 'More distinct client addresses than this', window: 'In this many seconds' },
  usage_spike: { threshold: 'Uses above this many times the usual rate', window: 'In this many seconds' },
  brute_force: { threshold: 'At least this many MALFORMED or NOT_FOUND answers for one caller or network', window: 'In this many seconds' },
  rate_limited_repeatedly: { threshold: 'Over the rate limit in at least this many of its windows', window: 'Within this many seconds' },
};

export function alertValuesOf(alerts: AlertPolicy): AlertPolicyValues {
  const rules = {} as Record<AlertRule, AlertRuleValues>;
  for (const rule of ALERT_RULES) rules[rule] = { ...alerts.rules[rule] };
  return { rules, ackWithinMinutes: alerts.ackWithinMinutes, remediateOwnerServiceKeys: alerts.remediateOwnerServiceKeys };
}

const isWhole = (v: number | string, min: number, max: number) => v !== '' && Number.isInteger(Number(v)) && Number(v) >= min && Number(v) <= max;

export function windowMaxOf(rule: AlertRule): number {
  return rule === 'new_country' ? NEW_COUNTRY_LOOKBACK_MAX_SECONDS : ALERT_WINDOW_MAX_SECONDS;
}

/** Per-field messages on the paths the API would name (`alerts.rules.usage_spike.windowSeconds`). */
export function validateAlertPolicy(values: AlertPolicyValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const rule of ALERT_RULES) {
    const at = `alerts.rules.${rule}`;
    const { threshold, windowSeconds } = values.rules[rule];
    if (threshold !== undefined && !isWhole(threshold, 1, ALERT_THRESHOLD_MAX)) {
      errors[`${at}.threshold`] = `A whole number from 1 to ${ALERT_THRESHOLD_MAX.toLocaleString('en')}`;
    }
    const max = windowMaxOf(rule);
    if (windowSeconds !== undefined && !isWhole(windowSeconds, ALERT_WINDOW_MIN_SECONDS, max)) {
      errors[`${at}.windowSeconds`] = `A whole number of seconds from ${ALERT_WINDOW_MIN_SECONDS} to ${max.toLocaleString('en')}`;
    }
  }
  const leaked = values.rules.leaked;
  if (!leaked.enabled || leaked.remediation !== 'revoke') {
    errors['alerts.rules.leaked'] = 'A leak report always revokes the token and raises its alert; only its severity can change';
  }
  if (!isWhole(values.ackWithinMinutes, 1, ACK_WITHIN_MAX_MINUTES)) {
    errors['alerts.ackWithinMinutes'] = `A whole number of minutes from 1 to ${ACK_WITHIN_MAX_MINUTES.toLocaleString('en')}`;
  }
  return errors;
}

/** The alerts part of PUT /v1/policy's body (validate first): every rule, a threshold and window only where the rule has them. */
export function toAlertPolicyRequest(values: AlertPolicyValues): AlertPolicyRequest {
  const rules: AlertPolicyRequest['rules'] = {};
  for (const rule of ALERT_RULES) {
    const { enabled, threshold, windowSeconds, severity, remediation } = values.rules[rule];
    rules[rule] = {
      enabled,
      ...(threshold === undefined ? {} : { threshold: Number(threshold) }),
      ...(windowSeconds === undefined ? {} : { windowSeconds: Number(windowSeconds) }),
      severity,
      remediation,
    };
  }
  return { rules, ackWithinMinutes: Number(values.ackWithinMinutes), remediateOwnerServiceKeys: values.remediateOwnerServiceKeys };
}

/** Every path of the alerts part an API error may land on: the rules, each rule (its row) and each of its fields. */
export function alertFormPaths(): string[] {
  return [
    'alerts.rules',
    'alerts.ackWithinMinutes',
    'alerts.remediateOwnerServiceKeys',
    ...ALERT_RULES.flatMap((rule) => ['', '.enabled', '.threshold', '.windowSeconds', '.severity', '.remediation'].map((field) => `alerts.rules.${rule}${field}`)),
  ];
}
