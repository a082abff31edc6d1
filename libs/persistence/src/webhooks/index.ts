import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

export * from './webhook-delivery.repository';
export * from './webhook-endpoint.repository';
export * from './webhook-views';

export const WEBHOOKS_REPOSITORIES = [WebhookEndpointRepository, WebhookDeliveryRepository];
