import type { RouteSpec } from './route-spec';
import { tag, fixtureOf, ids, NO_BODY, CREATES_ONLY, WEBHOOK, WEBHOOK_WITH_DELIVERY, WEBHOOK_DELIVERY, BOTH, type Page } from './shared';

interface DeliveryBody {
  id: string;
  status: string;
}

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
  {
    method: 'PATCH',
    path: '/v1/webhooks/:id',
    access: { scope: 'custos:webhooks:write' },
    object: WEBHOOK,
    valid: () => ({ body: { url: `http://127.0.0.1:9/hooks/moved-${tag()}`, events: ['token.expired'], description: 'moved', enabled: false } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['webhook.updated'],
      async check(res, c) {
        expect(res.body).toMatchObject({
          id: fixtureOf(c).id,
          url: expect.stringMatching(/\/hooks\/moved-/),
          events: ['token.expired'],
          description: 'moved',
          enabled: false,
          disabledAt: expect.any(String),
        });
        expect(JSON.stringify(res.body)).not.toMatch(/whsec_|secret/i);
        expect((await c.world.aKey.get(`/v1/webhooks/${fixtureOf(c).id}`)).body).toEqual(res.body);
      },
    },
    invalid: {
      request: () => ({ body: { url: 42, events: ['token.issued'], enabled: 'no', colour: 'red' } }),
      fields: ['url', 'events', 'enabled', 'colour'],
    },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/webhooks/:id/rotate-secret',
    access: { scope: 'custos:webhooks:write' },
    object: WEBHOOK,
    valid: () => ({ body: { gracePeriodSeconds: 3600 } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['webhook.secret_rotated'],
      check(res, c) {
        expect(res.body).toMatchObject({
          webhook: { id: fixtureOf(c).id, rotatedAt: expect.any(String), dualSigningUntil: expect.any(String) },
          secret: expect.stringMatching(/^whsec_/),
        });
        expect((res.body as { secret: string }).secret).not.toBe(fixtureOf(c).secret);
      },
    },
    invalid: { request: () => ({ body: { gracePeriodSeconds: -1, colour: 'red' } }), fields: ['gracePeriodSeconds', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/webhooks/:id/test',
    access: { scope: 'custos:webhooks:write' },
    object: WEBHOOK,
    valid: () => ({}),
    success: {
      status: 202,
      as: BOTH,
      audit: ['webhook.test_sent'],
      async check(res, c) {
        expect(res.body).toMatchObject({
          endpointId: fixtureOf(c).id,
          eventType: 'webhook.test',
          messageId: expect.stringMatching(/^msg_/),
          status: 'pending',
          attempts: 0,
        });
        const list = await c.world.aKey.get<Page<DeliveryBody>>(`/v1/webhooks/${fixtureOf(c).id}/deliveries`);
        expect(ids(list.body)).toEqual([(res.body as DeliveryBody).id]);
        expect(c.after.webhookDeliveries).toBe(c.before.webhookDeliveries + 1);
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/resend',
    access: { scope: 'custos:webhooks:write' },
    object: WEBHOOK_DELIVERY,
    valid: () => ({}),
    success: {
      status: 202,
      as: BOTH,
      audit: ['webhook.delivery_resent'],
      async check(res, c) {
        const original = fixtureOf(c).params!.deliveryId!;
        expect(res.body).toMatchObject({ endpointId: fixtureOf(c).id, eventType: 'token.revoked', status: 'pending', resentFromId: original });
        // Newest first: the re-send, then the original, which was still pending and is cancelled in its favour.
        const list = await c.world.aKey.get<Page<DeliveryBody>>(`/v1/webhooks/${fixtureOf(c).id}/deliveries`);
        expect(list.body.items.map((d) => [d.id, d.status])).toEqual([
          [(res.body as DeliveryBody).id, 'pending'],
          [original, 'cancelled'],
        ]);
        expect(c.after.webhookDeliveries).toBe(c.before.webhookDeliveries + 1);
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { kind: 'object' },
  },
];
