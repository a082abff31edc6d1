import type { RouteSpec } from './route-spec';
import { tag, fixtureOf, ids, NO_BODY, CREATES_ONLY, SERVICE, BOTH } from './shared';

/** The services routes of the catalogue. */
export const SERVICE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/services',
    access: { scope: 'custos:services:write' },
    valid: () => ({ body: { name: `svc-${tag()}`, allowedScopes: ['orders:read'] } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['service.created'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: expect.stringMatching(/^svc_/), allowedScopes: ['orders:read'] });
        expect(c.after.services).toBe(c.before.services + 1);
      },
    },
    invalid: {
      request: () => ({ body: { name: '', allowedScopes: ['Bad Scope'], publicJwk: 'not-a-jwk' } }),
      fields: ['name', 'allowedScopes', 'publicJwk'],
    },
    crossTenant: CREATES_ONLY,
  },
  {
    method: 'GET',
    path: '/v1/services',
    access: { scope: 'custos:services:read' },
    object: SERVICE,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toContain(fixtureOf(c).id);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'GET',
    path: '/v1/services/:id',
    access: { scope: 'custos:services:read' },
    object: SERVICE,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, name: fixtureOf(c).name });
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'PATCH',
    path: '/v1/services/:id',
    access: { scope: 'custos:services:write' },
    object: SERVICE,
    valid: () => ({ body: { description: 'patched by the route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['service.updated'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, description: 'patched by the route security suite' });
      },
    },
    invalid: { request: () => ({ body: { name: '', allowedScopes: 'orders:read', colour: 'red' } }), fields: ['name', 'allowedScopes', 'colour'] },
    crossTenant: { kind: 'object' },
  },
];
