/** Webhook settings from configuration; api and worker provide them (see docs/configuration.md). */
export interface WebhookSettings {
  /** Loopback, private and other non-public targets, and plain http, are allowed (tests, local setups). */
  allowPrivateUrls: boolean;
  /** How long one attempt may take. */
  timeoutMs: number;
  /** Wait after the first failed attempt; doubles with each further failure. */
  retryBaseMs: number;
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
}

export const WEBHOOK_SETTINGS = Symbol('WEBHOOK_SETTINGS');
