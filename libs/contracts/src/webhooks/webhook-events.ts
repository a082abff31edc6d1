import type { AuditAction } from '../audit/audit-actions';

/** The events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'token.expiring',
  'token.expired',
  'token.rotated',
  'token.revoked',
  'token.suspended',
  'token.unused_warning',
  'consent.withdrawn',
  'audit.checkpoint_signed',
  'alert.raised',
  'alert.resolved',
  'review.reminder',
  'review.overdue',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Which audit actions are announced to webhooks: keyed by AuditAction, so a typo does not compile. */
export type WebhookEventTable = Readonly<Partial<Record<AuditAction, WebhookEventType>>>;

/**
 * Which audit actions are announced to webhooks, and as which event. The one place that decides it:
 * the outbox (written with the audit event, in the same transaction) and the docs follow this table.
 * The payload's `data.action` keeps the audit action, so a receiver can tell an unused-token
 * suspension from a manual one, or a grace-period end from a plain expiry. A misspelt action would
 * silently announce nothing, hence WebhookEventTable.
 */
export const WEBHOOK_EVENT_OF_AUDIT_ACTION = {
  'token.revoked': 'token.revoked',
  'token.expired': 'token.expired',
  'token.rotation_completed': 'token.expired',
  'token.rotated': 'token.rotated',
  'token.suspended': 'token.suspended',
  'token.suspended_unused': 'token.suspended',
  'token.unused_warning': 'token.unused_warning',
  'token.expiring': 'token.expiring',
  'consent.withdrawn': 'consent.withdrawn',
  // With the checkpoint's JWS: a copy kept outside Custos is what makes a cut audit chain show.
  'audit.checkpoint_signed': 'audit.checkpoint_signed',
  'alert.raised': 'alert.raised',
  'alert.resolved': 'alert.resolved',
  'review.reminder': 'review.reminder',
  'review.overdue': 'review.overdue',
} as const satisfies WebhookEventTable;

const EVENT_OF_ACTION: WebhookEventTable = WEBHOOK_EVENT_OF_AUDIT_ACTION;

export function webhookEventOf(auditAction: AuditAction): WebhookEventType | undefined {
  return Object.hasOwn(EVENT_OF_ACTION, auditAction) ? EVENT_OF_ACTION[auditAction] : undefined;
}

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The ping that "send a test event" delivers to one endpoint, whatever it subscribes to. Not an event
 * anyone subscribes to: it is never announced for an audit action.
 */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** What a delivery can carry: a subscribed event, or the test ping. */
export const WEBHOOK_DELIVERY_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT] as const;
export type WebhookDeliveryEventType = (typeof WEBHOOK_DELIVERY_EVENT_TYPES)[number];

/**
 * How long the previous signing secret keeps signing after a rotation when the request does not say
 * (every delivery carries a signature by each secret meanwhile), and the longest a request may ask.
 */
export const WEBHOOK_SECRET_GRACE_DEFAULT_SECONDS = 86_400;
export const WEBHOOK_SECRET_GRACE_MAX_SECONDS = 7 * 86_400;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
