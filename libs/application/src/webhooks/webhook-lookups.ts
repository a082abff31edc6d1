import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { WebhookView } from '@custos/persistence';

/** An endpoint the caller named: not found in the tenant (or in no tenant) is the same answer. */
export function requireWebhook(endpoint: WebhookView | undefined): WebhookView {
  if (!endpoint) throw DomainError.notFound('The webhook');
  return endpoint;
}

/** A deleted endpoint stays readable but takes no change. */
export function requireLiveWebhook(endpoint: WebhookView | undefined): WebhookView {
  const found = requireWebhook(endpoint);
  if (found.deletedAt) throw new DomainError(ErrorCode.CONFLICT, 'The webhook is deleted; it cannot be changed or sent to.');
  return found;
}

/** What would be sent to a disabled endpoint is cancelled: refuse it up front instead. */
export function requireEnabledWebhook(endpoint: WebhookView | undefined): WebhookView {
  const live = requireLiveWebhook(endpoint);
  if (!live.enabled) throw new DomainError(ErrorCode.CONFLICT, 'The webhook is disabled; enable it to send to it.');
  return live;
}

/**
 * The URL as the audit trail keeps it: without query string or fragment, which sometimes carry a
 * receiver's own credentials, and the audit trail is forever.
 */
export function auditedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
