import type { TenantGeoPolicy } from '@custos/domain';

/** One row of evidence: the object it is about, what was found, and the facts behind it. */
export interface EvidenceRow {
  /** Keyset position of the row within the control's evidence (stable order, unique). */
  key: string;
  /** What the row is about: a token id, a user id, a consent id, an audit sequence range. */
  subject: string;
  detail: string;
  data: Record<string, string | number | boolean | null>;
}

/**
 * The scope-breadth rule as the query needs it (the rule itself lives with the control): scopes that
 * grant everything, suffixes that grant every action on a resource, and how many scopes are too many.
 * Words and suffixes go into the SQL text, so they must be plain scope characters.
 */
export interface ScopeBreadthRule {
  allPowerful: readonly string[];
  allSuffixes: readonly string[];
  maxScopes: number;
}

/**
 * A set of evidence rows a control reads, counts and pages through: what it is about and the values
 * the control's rule gives it. Each names one query of evidence-queries.ts.
 */
export type EvidenceSet =
  /** Live tokens whose lifetime (creation to expiry) is longer than the cap. */
  | { of: 'tokens_outliving_cap'; maxLifetimeSeconds: number }
  /** Active and suspended tokens older than their rotation interval (their own, else the default), or without one. */
  | { of: 'tokens_due_rotation'; defaultRotationSeconds: number | null; now: Date }
  /** Active tokens unused (since creation, last use or resume) for `days` or more. */
  | { of: 'unused_tokens'; days: number; now: Date }
  /** Live tokens with a wildcard-like scope, a bare resource scope or too many scopes. */
  | { of: 'broad_scope_tokens'; rule: ScopeBreadthRule }
  /** Live tokens no service owns. */
  | { of: 'tokens_without_owner' }
  /** Revocations within the period without a reason or an actor. */
  | { of: 'unaccountable_revocations'; from: Date; to: Date }
  /** Live tokens carrying one of the categories without a consent bound. */
  | { of: 'unconsented_tokens'; categories: readonly string[] }
  /** Consents withdrawn within the period, with the revocations of the same request and the tokens still live. */
  | { of: 'consent_withdrawals'; from: Date; to: Date }
  /** Failed log-ins and lockouts within the period. */
  | { of: 'failed_logins'; from: Date; to: Date }
  /** Owners and admins, each marked dormant when unused for `dormantDays`. */
  | { of: 'privileged_accounts'; now: Date; dormantDays: number }
  /** Alerts raised within the period, with how long they waited for someone to acknowledge or resolve them. */
  | { of: 'alert_answers'; from: Date; to: Date; now: Date; ackWithinMinutes: number }
  /** Leak reports of tokens within the period, with when (and whether) each token was revoked. */
  | { of: 'leak_reports'; from: Date; to: Date }
  /** Alerts raised within the period whose rule asked for remediation: what was done, or why not. */
  | { of: 'alert_remediations'; from: Date; to: Date }
  /** Access review campaigns due within the period, or open past their due date: whether each was completed on time. */
  | { of: 'access_reviews'; from: Date; to: Date; now: Date };

/** The tenant's policy as the controls read it. */
export interface PolicyFacts {
  maxLifetimeSeconds: number;
  defaultRotationIntervalSeconds: number | null;
  disableUnusedAfterDays: number;
  requireConsentFor: string[];
  /** Geo rules by data category and the tenant's region groups: what a token's effective geofence is made of. */
  geo: TenantGeoPolicy;
  /** Alerts should be acknowledged within this many minutes. */
  alertAckWithinMinutes: number;
}
