import { rotateOnSchedule } from '@custos/testing';
import type { RouteSpec } from './route-spec';
import { tag, fixtureOf, ids, NO_BODY, TOKEN, SERVICE, SUSPENDED_TOKEN, BOTH } from './shared';

/** The tokens routes of the catalogue. */
export const TOKEN_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/tokens',
    access: { scope: 'custos:tokens:issue' },
    // The owning service is the object of A the request names.
    object: SERVICE,
    valid: (c) => ({ body: { name: `issued-${tag()}`, scopes: ['orders:read'], expiresInSeconds: 3600, ownerServiceId: fixtureOf(c).id } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['token.issued'],
      check(res, c) {
        expect(res.body).toMatchObject({
          token: { status: 'active', scopes: ['orders:read'], ownerServiceId: fixtureOf(c).id, createdVia: c.as === 'role-session' ? 'dashboard' : 'api' },
          secret: expect.stringMatching(/^cus_live_/),
        });
        expect(c.after.tokens).toBe(c.before.tokens + 1);
      },
    },
    invalid: {
      request: () => ({ body: { name: '', scopes: ['Bad Scope'], expiresInSeconds: -1, colour: 'red' } }),
      fields: ['name', 'scopes', 'expiresInSeconds', 'colour'],
    },
    // Deliberate in the app (token-store.ts): an owner service outside the tenant is a field error of the body.
    crossTenant: { kind: 'object', outcome: { status: 400, code: 'VALIDATION_FAILED', field: 'ownerServiceId' } },
  },
  {
    method: 'GET',
    path: '/v1/tokens',
    searchFields: ['q'],
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: (c) => ({ query: `q=${fixtureOf(c).name!}` }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).id]);
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
      },
    },
    invalid: { request: () => ({ query: 'limit=0&status=bogus&colour=red' }), fields: ['limit', 'status', 'colour'] },
    crossTenant: { kind: 'list', ids, mine: (c) => fixtureOf(c).id },
  },
  {
    method: 'POST',
    path: '/v1/tokens/revoke',
    access: { scope: 'custos:tokens:revoke' },
    object: TOKEN,
    valid: (c) => ({ body: { ids: [fixtureOf(c).id], reason: 'route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.revoked'],
      check(res, c) {
        expect(res.body).toMatchObject({ items: [{ id: fixtureOf(c).id, status: 'revoked', revokedReason: 'route security suite' }] });
      },
    },
    invalid: { request: () => ({ body: { ids: [], reason: '' } }), fields: ['ids', 'reason'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/tokens/:id',
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'active' });
        expect(JSON.stringify(res.body)).not.toContain(fixtureOf(c).secret!);
        expect(res.body).not.toHaveProperty('secretHash');
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'PATCH',
    path: '/v1/tokens/:id',
    access: { scope: 'custos:tokens:update' },
    object: TOKEN,
    valid: () => ({ body: { name: 'renamed by the route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.updated'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, name: 'renamed by the route security suite' });
      },
    },
    invalid: {
      request: () => ({ body: { name: '', scopes: ['Bad Scope'], allowedCidrs: ['not-a-cidr'], colour: 'red' } }),
      fields: ['name', 'scopes', 'allowedCidrs', 'colour'],
    },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'GET',
    path: '/v1/tokens/:id/lineage',
    access: { scope: 'custos:tokens:read' },
    object: TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(ids(res.body)).toEqual([fixtureOf(c).id]);
      },
    },
    invalid: NO_BODY,
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/revoke',
    access: { scope: 'custos:tokens:revoke' },
    object: TOKEN,
    valid: () => ({ body: { reason: 'route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.revoked'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'revoked', revokedReason: 'route security suite' });
      },
    },
    invalid: { request: () => ({ body: { reason: '', colour: 'red' } }), fields: ['reason', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/suspend',
    access: { scope: 'custos:tokens:update' },
    object: TOKEN,
    valid: () => ({ body: { reason: 'route security suite' } }),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.suspended'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'suspended', suspendedAt: expect.any(String) });
      },
    },
    invalid: { request: () => ({ body: { reason: '' } }), fields: ['reason'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/resume',
    access: { scope: 'custos:tokens:update' },
    object: SUSPENDED_TOKEN,
    valid: () => ({}),
    success: {
      status: 200,
      as: BOTH,
      audit: ['token.resumed'],
      check(res, c) {
        expect(res.body).toMatchObject({ id: fixtureOf(c).id, status: 'active', suspendedAt: null });
      },
    },
    invalid: { request: () => ({ body: { colour: 'red' } }), fields: ['colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/:id/rotate',
    access: { scope: 'custos:tokens:rotate' },
    object: TOKEN,
    valid: () => ({ body: { gracePeriodSeconds: 60 } }),
    success: {
      status: 201,
      as: BOTH,
      audit: ['token.rotated', 'token.issued'],
      check(res, c) {
        const body = res.body as { token: { id: string }; secret: string };
        expect(body.token.id).not.toBe(fixtureOf(c).id);
        expect(res.body).toMatchObject({
          token: { rotatedFromId: fixtureOf(c).id, status: 'active' },
          predecessor: { id: fixtureOf(c).id, status: 'rotating' },
          secret: expect.stringMatching(/^cus_live_/),
        });
        expect(body.secret).not.toBe(fixtureOf(c).secret);
      },
    },
    invalid: { request: () => ({ body: { gracePeriodSeconds: -1, colour: 'red' } }), fields: ['gracePeriodSeconds', 'colour'] },
    crossTenant: { kind: 'object' },
  },
  {
    method: 'POST',
    path: '/v1/tokens/self/successor',
    access: { public: 'the credential is the rotated token itself, sent as Bearer (scheduled-rotation.e2e-spec.ts covers refusals)' },
    object: {
      kind: 'token',
      async make(w) {
        const token = await w.newToken();
        await rotateOnSchedule(w.a.tenantId, token.id);
        return token;
      },
    },
    valid: (c) => ({ headers: { authorization: `Bearer ${fixtureOf(c).secret}` } }),
    success: {
      status: 200,
      as: ['anonymous'],
      audit: ['token.successor_fetched'],
      check(res) {
        expect(res.body).toMatchObject({ format: 'plain', tokenId: expect.any(String), secret: expect.stringMatching(/^cus_live_/) });
        expect(res.headers.get('cache-control')).toBe('no-store');
      },
    },
    invalid: { notApplicable: 'takes no body and no query; what it reads is the Authorization header' },
    crossTenant: { notApplicable: "the token names its own tenant; no other tenant's object can be named" },
  },
];
