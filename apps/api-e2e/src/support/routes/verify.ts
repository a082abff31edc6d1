import type { RouteSpec } from './route-spec';
import { fixtureOf, TOKEN, BOTH } from './shared';

/** The verify routes of the catalogue. */
export const VERIFY_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/verify',
    access: { scope: 'custos:tokens:verify' },
    secretFields: ['token'],
    object: TOKEN,
    valid: (c) => ({ body: { token: fixtureOf(c).secret, scopes: ['orders:read'] } }),
    success: {
      status: 200,
      as: BOTH,
      audit: [],
      check(res, c) {
        expect(res.body).toMatchObject({ valid: true, code: 'VALID', tokenId: fixtureOf(c).id, scopes: ['orders:read'] });
      },
    },
    invalid: {
      request: () => ({ body: { token: 42, scopes: 'orders:read', context: { ip: 'not-an-ip' }, colour: 'red' } }),
      fields: ['token', 'scopes', 'context.ip', 'colour'],
    },
    crossTenant: { kind: 'object', outcome: { status: 200, body: { valid: false, code: 'NOT_FOUND' } } },
  },
];
