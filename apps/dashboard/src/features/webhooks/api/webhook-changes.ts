import type { CreateWebhookRequest, UpdateWebhookRequest, Webhook } from './webhooks.queries';

/**
 * What an edit changes, and nothing else: an unchanged URL is not sent (the API would check it again,
 * name lookup included), and events compare as sets.
 */
export function webhookChanges(webhook: Pick<Webhook, 'url' | 'events' | 'description'>, edited: CreateWebhookRequest): UpdateWebhookRequest {
  const changes: UpdateWebhookRequest = {};
  if (edited.url !== webhook.url) changes.url = edited.url;
  const sameEvents = edited.events.length === webhook.events.length && edited.events.every((e) => webhook.events.includes(e));
  if (!sameEvents) changes.events = edited.events;
  const description = edited.description ?? null;
  if (description !== webhook.description) changes.description = description;
  return changes;
}
