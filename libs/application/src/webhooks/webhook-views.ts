import type { WebhookDeliveryStatus, WebhookEventType } from '@custos/contracts';

/** An endpoint as the API shows it: never its secret, sealed or not. */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdBy: string | null;
  createdAt: string;
  /** Set once deleted: it receives nothing more, its deliveries stay readable. */
  deletedAt: string | null;
}

export interface CreatedWebhook {
  webhook: WebhookView;
  /** `whsec_…`: shown in this answer only. */
  secret: string;
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventType: WebhookEventType;
  /** The webhook-id header, the same on every attempt. */
  messageId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** While pending: when the next attempt is due. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  /** Every attempt so far, oldest first. */
  attemptLog: DeliveryAttempt[];
  createdAt: string;
  deliveredAt: string | null;
}

export interface EndpointRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  secret_sealed: string;
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

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toWebhookView(row: Omit<EndpointRow, 'secret_sealed'>): WebhookView {
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
