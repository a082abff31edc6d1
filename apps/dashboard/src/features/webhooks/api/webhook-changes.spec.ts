import { describe, expect, it } from '@jest/globals';
import { webhookChanges } from './webhook-changes';

describe('what a webhook edit sends', () => {
  const webhook = { url: 'https://hooks.example.com/a', events: ['token.revoked', 'token.expired'] as const, description: 'orders' };
  const current = { url: webhook.url, events: [...webhook.events], description: webhook.description };

  it('sends nothing when nothing changed, events in another order included', () => {
    expect(webhookChanges({ ...webhook, events: [...webhook.events] }, { ...current, events: ['token.expired', 'token.revoked'] })).toEqual({});
  });

  it('sends only the fields that changed; a cleared description as null', () => {
    const events = [...webhook.events];
    expect(webhookChanges({ ...webhook, events }, { ...current, url: 'https://hooks.example.com/b' })).toEqual({ url: 'https://hooks.example.com/b' });
    expect(webhookChanges({ ...webhook, events }, { ...current, events: ['token.revoked'] })).toEqual({ events: ['token.revoked'] });
    expect(webhookChanges({ ...webhook, events }, { ...current, description: null })).toEqual({ description: null });
  });
});
