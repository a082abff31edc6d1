import type { WebhookDeliveryEventType, WebhookDeliveryStatus, WebhookEventType } from '@custos/contracts';
import type { ClaimedDelivery, DeliveryAttempt, WebhookDeliveryView, WebhookView } from './webhook-views';

/** webhook_endpoints as read: never its sealed secret (ENDPOINT_COLUMNS leaves it out). */
export interface EndpointRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  disabled_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date | null;
  secret_rotated_at: Date | null;
  /** Only while the previous secret still signs. */
  dual_signing_until: Date | null;
  deleted_at: Date | null;
}

export const ENDPOINT_COLUMNS = `id, url, events, description, disabled_at, created_by, created_at, updated_at, secret_rotated_at,
  CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS dual_signing_until, deleted_at`;

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: WebhookDeliveryEventType;
  message_id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  attempt_log: DeliveryAttempt[];
  created_at: Date;
  delivered_at: Date | null;
  resent_from_id: string | null;
}

export const DELIVERY_COLUMNS = `id, endpoint_id, event_type, message_id, status, attempts, next_attempt_at, last_attempt_at,
  last_status, last_error, attempt_log, created_at, delivered_at, resent_from_id`;

/** A claimed delivery as the claim's UPDATE … RETURNING gives it. */
export interface ClaimedDeliveryRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  attempts: number;
  last_attempt_at: Date;
  status: string;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
}

/**
 * New delivery and message ids, made in the statement that writes the delivery (the outbox makes many
 * at once): one format wherever deliveries are written. A message id is the webhook-id header.
 */
export const NEW_DELIVERY_ID_SQL = `'dlv_' || replace(gen_random_uuid()::text, '-', '')`;
export const NEW_MESSAGE_ID_SQL = `'msg_' || replace(gen_random_uuid()::text, '-', '')`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toWebhookView(row: EndpointRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.disabled_at === null,
    disabledAt: iso(row.disabled_at),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: iso(row.updated_at),
    rotatedAt: iso(row.secret_rotated_at),
    dualSigningUntil: iso(row.dual_signing_until),
    deletedAt: iso(row.deleted_at),
  };
}

export function toDeliveryView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventType: row.event_type,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastAttemptAt: iso(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    attemptLog: row.attempt_log,
    createdAt: row.created_at.toISOString(),
    deliveredAt: iso(row.delivered_at),
    resentFromId: row.resent_from_id,
  };
}

export function toClaimedDelivery(row: ClaimedDeliveryRow): ClaimedDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    messageId: row.message_id,
    payload: row.payload,
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at,
    url: row.url,
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
  };
}
