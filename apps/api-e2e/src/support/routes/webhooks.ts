import type { RouteSpec } from './route-spec';
import { tag, fixtureOf, ids, NO_BODY, CREATES_ONLY, WEBHOOK, WEBHOOK_WITH_DELIVERY, BOTH } from './shared';

/** The webhooks routes of the catalogue. */
export const WEBHOOK_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/webhooks',
    access: { scope: 'custos:webhooks:write' },
    valid: () => ({ body: { url: `http://127.0.0.1:9/hooks/${tag()}`, events: ['token.revoked', 'token.expiring'] } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['webhook.created'],
      check(res, c) {
        expect(res.body).toMatchObject({
          webhook: { id: expect.stringMatching(/^whk_/), events: ['token.revoked', 'token.expiring'], deletedAt: null },
          secret: expect.stringMatching(/^whsec_/),
        });
        expect(c.after.webhooks).toBe(c.before.webhooks + 1);
      },
    },
    invalid: {
      request: () => ({ body: { url: 42, events: ['token.issued'], colour: 'red' } }),
      fields: ['url', 'events', 'colour'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    access: { scope: 'custos:webhooks:read' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
        expect(JSON.stringify(res.body)).not.toMatch(/whsec_|secret/i);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/:id',
    access: { scope: 'custos:webhooks:read' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, url: fixtureOf(c).name, deletedAt: null });
        expect(JSON.stringify(res.body)).not.toMatch(/whsec_|secret/i);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/:id',
    access: { scope: 'custos:webhooks:write' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 204,
      as: BOTH,
      audit: ['webhook.deleted'],
      async check(_res, c) {
        expect(c.after.webhooks).toBe(c.before.webhooks - 1);
        const after = await c.world.aKey.get(`/v1/webhooks/${fixtureOf(c).id}`);
        expect(after.body).toMatchObject({ id: fixtureOf(c).id, deletedAt: expect.any(String) });
      },
    },
    invalid: { notApplicable: 'takes no body' },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/:id/deliveries',
    access: { scope: 'custos:webhooks:read' },
    object: WEBHOOK_WITH_DELIVERY,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({
          items: [{ endpointId: fixtureOf(c).id, eventType: 'token.revoked', messageId: expect.stringMatching(/^msg_/) }],
          nextCursor: null,
        });
      },
    },
    invalid: { request: () => ({ query: 'limit=0&status=bogus&colour=red' }), fields: ['limit', 'status', 'colour'] },
    crossTenant: { kind: 'object' },
  },
];
