import type { UsageObserver } from '@custos/application';
import type { FastifyInstance } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { originOf } from '../http/request-origin';

/**
 * Every request of the API authenticated by a service key is a use of that key: a usage event of kind
 * `api`, its outcome the response status and its resource the route (method and template, never the
 * path with its ids). A request refused before it named a valid key names no key, and is not one.
 * /v1/verify runs on the hot path's own instance and records its verify events itself.
 */
export function recordServiceKeyUsage(fastify: FastifyInstance, observer: UsageObserver): void {
  fastify.addHook('onResponse', (request: AuthenticatedRequest, reply, done) => {
    const principal = request.principal;
    if (principal?.kind === 'service_key') {
      const origin = originOf(request);
      observer.observe({
        tenantId: principal.tenantId,
        kind: 'api',
        tokenId: principal.id,
        callerId: principal.id,
        outcome: String(reply.statusCode),
        clientIp: origin.ip,
        claimedCountry: undefined,
        resource: `${request.method} ${request.routeOptions.url ?? ''}`.trimEnd(),
        origin,
        crossBorder: false,
        geoFlagged: false,
      });
    }
    done();
  });
}
