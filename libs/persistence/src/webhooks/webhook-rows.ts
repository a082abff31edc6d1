import type { WebhookDeliveryStatus, WebhookEventType } from '@custos/contracts';
import type { ClaimedDelivery, DeliveryAttempt, WebhookDeliveryView, WebhookView } from './webhook-views';

/** webhook_endpoints as read: never its sealed secret (ENDPOINT_COLUMNS leaves it out). */
export interface EndpointRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  created_by: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

export const ENDPOINT_COLUMNS = 'id, url, events, description, created_by, created_at, deleted_at';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_type: WebhookEventType;
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
}

export const DELIVERY_COLUMNS = `id, endpoint_id, event_type, message_id, status, attempts, next_attempt_at, last_attempt_at,
  last_status, last_error, attempt_log, created_at, delivered_at`;

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
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toWebhookView(row: EndpointRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
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
  };
}
