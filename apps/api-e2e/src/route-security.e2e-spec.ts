import { ApiClient } from '@custos/testing';
import { ROUTES, routeKey } from './support/route-catalogue';
import { describeRouteSecurity, useSecurityWorld } from './support/security-cases';

const OPENAPI_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

/**
 * The same security cases on every route of the API (support/route-catalogue.ts lists each route once):
 * 401 without valid credentials, 403 without the route's scope, 403 on a cookie session without its
 * CSRF token, nothing of another tenant, 400 naming the bad fields and writing nothing, and the
 * documented success with exactly the scope the route needs.
 */
describe('route security', () => {
  const world = useSecurityWorld();

  it('the catalogue lists every /v1 route the API serves, each once, and no other', async () => {
    const res = await ApiClient.fromEnv().get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    expect(res.status).toBe(200);
    const served = Object.entries(res.body.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((method) => OPENAPI_METHODS.has(method))
          .map((method) => routeKey({ method: method.toUpperCase() as 'GET', path: path.replace(/\{(\w+)\}/g, ':$1') })),
      )
      .sort();
    const listed = ROUTES.map(routeKey).sort();
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(served);
  });

  describe.each(ROUTES)('$method $path', (route) => describeRouteSecurity(route, world));
});
