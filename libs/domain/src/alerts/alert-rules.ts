import { ALERT_REMEDIATIONS, ALERT_RULES, ALERT_SEVERITIES, PERSON_ALERT_RULES, type AlertRemediation, type AlertRule, type AlertSeverity, type FieldError } from '@custos/contracts';

/** How one rule behaves in a tenant: its defaults (ALERT_RULE_DEFAULTS) overlaid by the tenant's policy. */
export interface AlertRuleSettings {
  enabled: boolean;
  /** What the rule counts to (see ALERT_RULE_PARAMETERS); absent for rules that fire on one event. */
  threshold?: number;
  /** The window it counts in; absent for rules that fire on one event. */
  windowSeconds?: number;
  severity: AlertSeverity;
  remediation: AlertRemediation;
}

export type AlertRuleTable = Readonly<Record<AlertRule, AlertRuleSettings>>;

/** What a policy may say about one rule; what it leaves out keeps the current setting. */
export interface AlertRuleOverride {
  enabled?: boolean;
  threshold?: number;
  windowSeconds?: number;
  severity?: AlertSeverity;
  remediation?: AlertRemediation;
}
export type AlertRuleOverrides = { [R in AlertRule]?: AlertRuleOverride };

/** The longest window a rule counts in, but new_country's look-back: the evaluator keeps a day of counts. */
export const ALERT_WINDOW_MAX_SECONDS = 86_400;
/** new_country looks this far back at most (usage rollups are kept for the usage retention). */
export const NEW_COUNTRY_LOOKBACK_MAX_SECONDS = 90 * 86_400;
export const ALERT_THRESHOLD_MAX = 1_000_000;
/** A spike needs at least this many uses in its window, however quiet the token was before. */
export const USAGE_SPIKE_MIN_USES = 100;

/**
 * Which parameters each rule takes. A rule that fires on one event (a dead token presented, a use over
 * plain http) has neither; a PUT that gives it one is refused rather than silently ignored.
 */
export const ALERT_RULE_PARAMETERS: Readonly<Record<AlertRule, { threshold: string | null; window: string | null }>> = {
  dead_token_used: { threshold: null, window: null },
  cross_border_use: { threshold: null, window: null },
  plaintext_transport: { threshold: null, window: null },
  leaked: { threshold: null, window: null },
  new_country_sign_in: { threshold: null, window: null },
  new_country: { threshold: null, window: 'how far back a country counts as seen' },
  many_networks: { threshold: 'more distinct client addresses than this', window: 'in this many seconds' },
  usage_spike: { threshold: 'uses above this many times the trailing baseline', window: 'in this many seconds' },
  brute_force: { threshold: 'at least this many MALFORMED or NOT_FOUND answers for one caller or network', window: 'in this many seconds' },
  rate_limited_repeatedly: { threshold: 'over the rate limit in at least this many of its windows', window: 'within this many seconds' },
};

function rule(severity: AlertSeverity, threshold?: number, windowSeconds?: number): AlertRuleSettings {
  return {
    enabled: true,
    ...(threshold === undefined ? {} : { threshold }),
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
    severity,
    remediation: 'none',
  };
}

/** Every rule on, alerting only: a tenant turns remediation on per rule once it trusts the rule. */
export const ALERT_RULE_DEFAULTS: AlertRuleTable = Object.freeze({
  dead_token_used: rule('high'),
  cross_border_use: rule('medium'),
  new_country: rule('medium', undefined, 30 * 86_400),
  many_networks: rule('high', 10, 3_600),
  usage_spike: rule('medium', 10, 300),
  brute_force: rule('high', 20, 60),
  plaintext_transport: rule('medium'),
  rate_limited_repeatedly: rule('low', 3, 600),
  // A leak report always revokes the token (docs/alerts.md): not a setting.
  leaked: { ...rule('critical'), remediation: 'revoke' },
  // About a person, not a token: there is nothing to suspend or revoke.
  new_country_sign_in: rule('medium'),
});

/** The tenant's rules: the defaults, with what the policy stored laid over them (unknown keys ignored). */
export function alertRulesOf(stored: unknown): AlertRuleTable {
  const overrides = isRecord(stored) ? stored : {};
  const table = {} as Record<AlertRule, AlertRuleSettings>;
  for (const name of ALERT_RULES) {
    const own = overrides[name];
    table[name] = { ...ALERT_RULE_DEFAULTS[name], ...(isRecord(own) ? pickSettings(own) : {}) };
  }
  return table;
}

/**
 * What a PUT makes of the current rules: each rule it names gets the fields it gives, the rest keep
 * theirs. Answers the problems instead when something is out of bounds, or names a parameter the rule
 * does not take, or would switch off or soften what a leak report does.
 */
export function mergeAlertRules(current: AlertRuleTable, input: AlertRuleOverrides): { rules: AlertRuleTable; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const rules = { ...current } as Record<AlertRule, AlertRuleSettings>;
  for (const [name, override] of Object.entries(input) as [string, AlertRuleOverride | undefined][]) {
    const field = `alerts.rules.${name}`;
    if (!(ALERT_RULES as readonly string[]).includes(name)) {
      problems.push({ field, message: `is not a rule; rules are ${ALERT_RULES.join(', ')}` });
      continue;
    }
    if (!override) continue;
    const ruleName = name as AlertRule;
    const next = { ...current[ruleName], ...definedOf(override) };
    problems.push(...ruleProblems(ruleName, override, next, field));
    rules[ruleName] = next;
  }
  return { rules, problems };
}

/** What the policy keeps: only what differs from the defaults, so a later default reaches every tenant that kept it. */
export function alertRuleOverridesOf(rules: AlertRuleTable): AlertRuleOverrides {
  const overrides: AlertRuleOverrides = {};
  for (const name of ALERT_RULES) {
    const own: AlertRuleOverride = {};
    for (const key of SETTING_KEYS) {
      if (rules[name][key] !== ALERT_RULE_DEFAULTS[name][key]) (own as Record<string, unknown>)[key] = rules[name][key];
    }
    if (Object.keys(own).length > 0) overrides[name] = own;
  }
  return overrides;
}

const SETTING_KEYS = ['enabled', 'threshold', 'windowSeconds', 'severity', 'remediation'] as const;

function ruleProblems(name: AlertRule, given: AlertRuleOverride, next: AlertRuleSettings, field: string): FieldError[] {
  const problems: FieldError[] = [];
  const parameters = ALERT_RULE_PARAMETERS[name];
  if (given.threshold !== undefined) {
    if (parameters.threshold === null) problems.push({ field: `${field}.threshold`, message: `${name} fires on one event and takes no threshold` });
    else if (!isWhole(given.threshold, 1, ALERT_THRESHOLD_MAX)) problems.push({ field: `${field}.threshold`, message: `must be a whole number from 1 to ${ALERT_THRESHOLD_MAX}` });
  }
  if (given.windowSeconds !== undefined) {
    const max = name === 'new_country' ? NEW_COUNTRY_LOOKBACK_MAX_SECONDS : ALERT_WINDOW_MAX_SECONDS;
    if (parameters.window === null) problems.push({ field: `${field}.windowSeconds`, message: `${name} fires on one event and takes no window` });
    else if (!isWhole(given.windowSeconds, 10, max)) problems.push({ field: `${field}.windowSeconds`, message: `must be a whole number of seconds from 10 to ${max}` });
  }
  if (given.severity !== undefined && !(ALERT_SEVERITIES as readonly string[]).includes(given.severity)) {
    problems.push({ field: `${field}.severity`, message: `must be one of ${ALERT_SEVERITIES.join(', ')}` });
  }
  if (given.remediation !== undefined && !(ALERT_REMEDIATIONS as readonly string[]).includes(given.remediation)) {
    problems.push({ field: `${field}.remediation`, message: `must be one of ${ALERT_REMEDIATIONS.join(', ')}` });
  }
  if (PERSON_ALERT_RULES.includes(name) && next.remediation !== 'none') {
    problems.push({ field: `${field}.remediation`, message: `${name} is about a person, not a token: its remediation is none` });
  }
  if (name === 'leaked' && (!next.enabled || next.remediation !== 'revoke')) {
    problems.push({ field, message: 'a leak report always revokes the token and raises its alert; only its severity can change' });
  }
  return problems;
}

function pickSettings(own: Record<string, unknown>): AlertRuleOverride {
  const picked: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (own[key] !== undefined) picked[key] = own[key];
  return picked as AlertRuleOverride;
}

function definedOf(override: AlertRuleOverride): AlertRuleOverride {
  return Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) as AlertRuleOverride;
}

function isWhole(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
