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
 *
 * With several secrets (the current one first, then one being rotated out) the header carries one
 * signature per secret, separated by spaces, as the specification allows: a receiver holding either
 * secret accepts the message, so it can switch secrets at any time during the overlap.
 */
export function signWebhook(
  secrets: string | readonly string[],
  messageId: string,
  body: string,
  sentAt: Date = new Date(),
): WebhookSignatureHeaders {
  const keys = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) => {
    if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a webhook signing secret');
    return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  });
  if (keys.length === 0) throw new Error('no webhook signing secret');
  const timestamp = String(Math.floor(sentAt.getTime() / 1000));
  const signed = `${messageId}.${timestamp}.${body}`;
  const signatures = keys.map((key) => `v1,${createHmac('sha256', key).update(signed, 'utf8').digest('base64')}`);
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
