import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new endpoint signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a webhook as the Standard Webhooks specification says: HMAC-SHA256, keyed with the base64-decoded
 * part of the secret after `whsec_`, over `${id}.${timestamp}.${body}` (timestamp in whole seconds),
 * sent as `v1,<base64 signature>`. Any Standard Webhooks library verifies it with the same secret.
 */
export function signWebhook(secret: string, messageId: string, body: string, sentAt: Date = new Date()): WebhookSignatureHeaders {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a webhook signing secret');
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`, 'utf8').digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
