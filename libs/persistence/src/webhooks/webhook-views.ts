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
}
