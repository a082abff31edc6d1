import { formatCount, formatCountry, formatDateTime, formatDuration } from '../../../shared/format/format';
import type { Alert, AlertRemediation, AlertRule, AlertSeverity, AlertStatus } from './alerts.queries';

/** Each rule as people read it, and what makes it fire (docs/alerts.md). */
export const RULES: Readonly<Record<AlertRule, { label: string; description: string }>> = {
  dead_token_used: { label: 'Dead token used', description: 'A revoked, expired or suspended token was presented.' },
  cross_border_use: { label: 'Cross-border use', description: "A use came from outside the token's residency region." },
  new_country: { label: 'New country', description: 'A token was used from a country it was not used from in the look-back.' },
  new_country_sign_in: { label: 'New sign-in country', description: 'A person signed in to the dashboard from a country they never signed in from before.' },
  many_networks: { label: 'Many networks', description: 'One token was used from more distinct client addresses than the threshold in the window: key sharing.' },
  usage_spike: { label: 'Usage spike', description: "Uses in the window were more than the threshold times the token's usual rate (and at least 100)." },
  brute_force: { label: 'Brute force', description: 'At least the threshold of MALFORMED or NOT_FOUND answers for one caller or network in the window.' },
  plaintext_transport: { label: 'Plain HTTP', description: 'A token was presented over plain http.' },
  rate_limited_repeatedly: { label: 'Rate-limited repeatedly', description: 'A token went over its rate limit in at least the threshold of its windows within the window.' },
  leaked: { label: 'Leaked token', description: 'Someone reported the token as leaked; it is revoked.' },
};

export function ruleLabel(rule: AlertRule): string {
  return RULES[rule].label;
}

export const SEVERITY_COLORS: Readonly<Record<AlertSeverity, string>> = {
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};

export const STATUS_COLORS: Readonly<Record<AlertStatus, string>> = {
  open: 'red',
  acknowledged: 'blue',
  resolved: 'green',
};

/** What an alert is about, from its subject: `token:<id>`, or for brute force `caller:<service key id>` or `network:<cidr>`. */
export type AlertSubject = { kind: 'token' | 'caller' | 'network'; id: string } | { kind: 'other'; id: string };

export function subjectOf(subject: string): AlertSubject {
  const colon = subject.indexOf(':');
  const kind = subject.slice(0, colon);
  const id = subject.slice(colon + 1);
  if (colon > 0 && (kind === 'token' || kind === 'caller' || kind === 'network')) return { kind, id };
  return { kind: 'other', id: subject };
}

/** One line of an alert's details: a label, and its value as text. */
export interface DetailRow {
  key: string;
  label: string;
  value: string;
}

const LEAK_CHANNELS: Readonly<Record<string, string>> = {
  github: 'GitHub secret scanning',
  public: 'A public report (POST /v1/leaks)',
};

/** The keys the rules write (libs/application alert-evaluator and leak intake), in the order they read best. */
const KNOWN_DETAILS: ReadonlyArray<[key: string, label: string, format: (value: unknown) => string | null]> = [
  ['status', 'Token status when presented', text],
  ['residencyRegion', 'Residency region', (v) => (v === null ? 'none' : text(v))],
  ['countries', 'Countries', (v) => (Array.isArray(v) && v.every((c) => typeof c === 'string') ? v.map(formatCountry).join(', ') : null)],
  ['lookbackDays', 'Look-back', (v) => (typeof v === 'number' ? `${formatCount(v)} day${v === 1 ? '' : 's'}` : null)],
  ['networks', 'Distinct client addresses', count],
  ['uses', 'Uses in the window', count],
  ['baseline', 'Usual uses per window', count],
  ['factor', 'Spike factor', (v) => (typeof v === 'number' ? `more than ${formatCount(v)} × the usual` : null)],
  ['failures', 'MALFORMED or NOT_FOUND answers', count],
  ['windowsOverLimit', 'Rate-limit windows over the limit', count],
  ['threshold', 'Threshold', count],
  ['windowSeconds', 'Window', seconds],
  ['rateLimitWindowSeconds', "Token's rate-limit window", seconds],
  ['via', 'Reported through', (v) => (typeof v === 'string' ? (LEAK_CHANNELS[v] ?? v) : null)],
  // Shown as text, never as a link: anyone may report a leak, with any URL.
  ['url', 'Where it was found', text],
  ['source', 'Source', text],
  ['reportedAt', 'Reported at', (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? formatDateTime(v) : null)],
];

/**
 * An alert's details as label and value: the keys the rules write, readably ("1 hour", "Germany (DE)"),
 * then any other key as it is, so a newer rule's figures still show. A value of an unexpected shape
 * falls back to its plain form rather than disappearing.
 */
export function detailRows(details: Alert['details']): DetailRow[] {
  const rows: DetailRow[] = [];
  for (const [key, label, format] of KNOWN_DETAILS) {
    if (!(key in details)) continue;
    rows.push({ key, label, value: format(details[key]) ?? plain(details[key]) });
  }
  const known = new Set(KNOWN_DETAILS.map(([key]) => key));
  for (const [key, value] of Object.entries(details)) {
    if (!known.has(key)) rows.push({ key, label: key, value: plain(value) });
  }
  return rows;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(value: unknown): string | null {
  return typeof value === 'number' ? formatCount(value) : null;
}

function seconds(value: unknown): string | null {
  return typeof value === 'number' ? formatDuration(value) : null;
}

function plain(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  return JSON.stringify(value);
}

const SKIPPED: Readonly<Record<string, string>> = {
  owner_service_key: 'left alone: this key administers the tenant',
  token_status: 'left alone: the token was already past the change (rotating, suspended, revoked or expired)',
};

/** What was done to the token, or why nothing was; null remediation means the rule only alerts. */
export function remediationText(remediation: AlertRemediation | null): string {
  if (remediation === null) return 'None: the rule only alerts';
  switch (remediation.action) {
    case 'suspend':
      return 'Token suspended';
    case 'revoke':
      return 'Token revoked';
    case 'none':
      if (!remediation.skipped) return 'None';
      return capitalized(SKIPPED[remediation.skipped] ?? `left alone: ${remediation.skipped}`);
  }
}

/** The inbox's short form: "suspended", "revoked", "skipped: admin key". */
export function remediationShort(remediation: AlertRemediation | null): string {
  if (remediation === null) return '—';
  switch (remediation.action) {
    case 'suspend':
      return 'suspended';
    case 'revoke':
      return 'revoked';
    case 'none':
      if (remediation.skipped === 'owner_service_key') return 'skipped: admin key';
      if (remediation.skipped === 'token_status') return 'skipped: token status';
      return remediation.skipped ? `skipped: ${remediation.skipped}` : '—';
  }
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
