/**
 * Every action Custos writes to the audit chain, grouped by what it is about. AuditEntry.action is typed
 * by it, so an event with a misspelt action does not compile; the webhook table
 * (WEBHOOK_EVENT_OF_AUDIT_ACTION) is keyed by it for the same reason. Events already in the chain stay
 * plain strings where they are read back (an old chain may hold actions no longer written).
 */
export const AUDIT_ACTIONS = [
  'tenant.created',
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.locked_out',
  'auth.logout',
  /** The password was right and a second factor is owed (data: methods); the sign-in completes with auth.login_succeeded. */
  'auth.mfa_required',
  /** A wrong, replayed or expired second factor at log-in or step-up (data: stage, failures). */
  'auth.mfa_failed',
  /** A person passed an MFA check for a sensitive action (data: method). */
  'auth.step_up',
  /** A session was ended by its person or an admin (data: sessionId, by whom, how many). */
  'auth.session_revoked',
  /** A person changed their password (data: whether it was owed). */
  'auth.password_changed',
  /** A person enrolled or removed a second factor, or replaced their recovery codes (data: method, name). */
  /** A TOTP enrolment started: a secret waits for its first code (it signs nothing in until confirmed). */
  'mfa.enrolment_started',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.recovery_codes_regenerated',
  /** A person renamed one of their passkeys (data: passkeyId, name). */
  'mfa.passkey_renamed',
  /** Someone invited a person, who accepted, or the invitation was revoked (data: email, role; never the link). */
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  /** The tenant's single sign-on was configured or removed (data: issuer, clientId, mapping, enforce; never the secret). */
  'sso.configured',
  'sso.removed',
  'user.created',
  'user.role_changed',
  'user.removed',
  'service.created',
  'service.updated',
  'policy.updated',
  'token.issued',
  'token.updated',
  'token.revoked',
  'token.suspended',
  'token.resumed',
  'token.rotated',
  'token.rotation_skipped',
  /** A rotated token's grace period ended: the old token expired. */
  'token.rotation_completed',
  'token.expired',
  'token.expiring',
  'token.suspended_unused',
  'token.unused_warning',
  'token.successor_fetched',
  'tokens.exported',
  /** The cross-border transfers of a period, exported for an auditor (data: format, from, to, filter). */
  'cross_border.exported',
  'consent.created',
  'consent.renewed',
  'consent.withdrawn',
  'subject.viewed',
  'subject.exported',
  'webhook.created',
  /** Its URL, events, description or enabled state changed (data.changed names which). */
  'webhook.updated',
  'webhook.secret_rotated',
  'webhook.test_sent',
  'webhook.delivery_resent',
  'webhook.deleted',
  'signing_key.created',
  'signing_key.rotated',
  'audit.checkpoint_signed',
  'audit.exported',
  'report.requested',
  'report.generated',
  'report.failed',
  'report.downloaded',
  /** A rule raised an alert (data: rule, severity, subject, count, remediation). */
  'alert.raised',
  'alert.acknowledged',
  'alert.resolved',
  /** Someone reported a token as leaked (data: via github or public report, url, source; never the token). */
  'token.leak_reported',
  /** A breach impact report of the token was generated (data: format, period, sha256, kid, how many data subjects). */
  'token.impact_reported',
  /** An access review campaign opened, by a person or on schedule (data: name, scope, dueAt, items). */
  'review.campaign_opened',
  /** A reviewer decided an item (data: campaign, token, decision, scopes, comment, effect). */
  'review.decided',
  /** Reviewers were reminded of a campaign's undecided items (data: pending per reviewer). */
  'review.reminder',
  /** A campaign reached its due date with undecided items; its onOverdue was applied (data: per item). */
  'review.overdue',
  /** A campaign closed; its signed reports were queued (data: progress, reportIds). */
  'review.campaign_closed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
