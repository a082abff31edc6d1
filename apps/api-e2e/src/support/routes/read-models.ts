import { tenantFootprint } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { fixtureOf, ids, TOKEN, BOTH } from './shared';

/** The dashboard read models routes of the catalogue. */
export const READ_MODEL_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/inventory',
    searchFields: ['q'],
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: (c) => ({ query: `q=${fixtureOf(c).name!}&sort=expiresAt&order=asc` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).id]);
        expect(res.body).toMatchObject({ total: 1, totalCapped: false, nextCursor: null });
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&sort=name&order=up&colour=red' }), fields: ['limit', 'sort', 'order', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/overview',
    access: { scope: 'custos:tokens:read' },
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        const body = res.body as { byStatus: Record<string, number>; daily: unknown[] };
        expect(Object.values(body.byStatus).reduce((a, b) => a + b, 0)).toBe(c.before.tokens);
        expect(body.daily).toHaveLength(30);
      },
    },
    invalid: { request: () => ({ query: `ownerServiceId=${'s'.repeat(65)}&colour=red` }), fields: ['ownerServiceId', 'colour'] },
    text: { probe: () => ({ query: 'ownerServiceId=svc_probe' }) },
    crossTenant: {
      kind: 'custom',
      title: "B's overview counts B's tokens only, and nothing for a service of A",
      async run({ world }) {
        const res = await world.bKey.get<{ byStatus: Record<string, number> }>('/v1/overview');
        expect(res.status).toBe(200);
        const counted = Object.values(res.body.byStatus).reduce((a, b) => a + b, 0);
        // Counted across tenants, it would include A's tokens too.
        expect(counted).toBe((await tenantFootprint(world.b.tenantId)).tokens);
        const service = await world.newService();
        await world.newToken({ ownerServiceId: service.id });
        const ofService = await world.bKey.get<{ byStatus: Record<string, number> }>(`/v1/overview?ownerServiceId=${service.id}`);
        expect(ofService.status).toBe(200);
        expect(Object.values(ofService.body.byStatus)).toEqual([0, 0, 0, 0, 0]);
      },
    },
  },
];
