/** How an endpoint's signing secret is sealed (SecretBox): the api seals it, the worker opens it. */
export const WEBHOOK_SECRET_PURPOSE = 'webhook-secret';
export const webhookSecretContext = (tenantId: string, endpointId: string): string => `${tenantId}/${endpointId}`;
