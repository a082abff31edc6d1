/** The rules that raise alerts on signs of abuse (docs/alerts.md). */
export const ALERT_RULES = [
  'dead_token_used',
  'cross_border_use',
  'new_country',
  'many_networks',
  'usage_spike',
  'brute_force',
  'plaintext_transport',
  'rate_limited_repeatedly',
  'leaked',
  /** A person signed in to the dashboard from a country they never signed in from before. */
  'new_country_sign_in',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** What a rule does to the token when it raises an alert, besides the alert. */
export const ALERT_REMEDIATIONS = ['none', 'suspend', 'revoke'] as const;
export type AlertRemediation = (typeof ALERT_REMEDIATIONS)[number];

/** Rules about people rather than tokens: they raise an alert and never touch a token. */
export const PERSON_ALERT_RULES: readonly AlertRule[] = ['new_country_sign_in'];

export function isAlertRule(value: unknown): value is AlertRule {
  return typeof value === 'string' && (ALERT_RULES as readonly string[]).includes(value);
}
