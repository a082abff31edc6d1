import type { WebhookDeliveryEventType, WebhookDeliveryStatus, WebhookEventType } from '@custos/contracts';

/** An endpoint as the API shows it: never its secret, sealed or not. */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  /** False once disabled: it gets no new deliveries until enabled again. */
  enabled: boolean;
  disabledAt: string | null;
  createdBy: string | null;
  createdAt: string;
  /** When its URL, events, description or enabled state last changed. */
  updatedAt: string | null;
  /** When its signing secret was last rotated. */
  rotatedAt: string | null;
  /** Until then every delivery also carries a signature by the secret rotated out; null when none does. */
  dualSigningUntil: string | null;
  /** Set once deleted: it receives nothing more, its deliveries stay readable. */
  deletedAt: string | null;
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
  eventType: WebhookDeliveryEventType;
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
  /** A re-send names the delivery it repeats (same event, same webhook-id). */
  resentFromId: string | null;
}

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** This attempt's number: only the claim that made it may record its outcome. */
  attempts: number;
  lastAttemptAt: Date;
  url: string;
  /** The signing secret, sealed (SecretBox): the dispatcher opens it to sign. */
  secretSealed: string;
  /** The secret rotated out, sealed, while it still signs too; null otherwise. */
  previousSecretSealed: string | null;
}
