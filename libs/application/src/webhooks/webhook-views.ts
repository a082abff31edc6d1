import type { WebhookView } from '@custos/persistence';

// The views are the repository's mapping of the rows (libs/persistence/src/webhooks), re-exported for the api.
export type { DeliveryAttempt, WebhookDeliveryView, WebhookView } from '@custos/persistence';

export interface CreatedWebhook {
  webhook: WebhookView;
  /** `whsec_…`: shown in this answer only. */
  secret: string;
}
