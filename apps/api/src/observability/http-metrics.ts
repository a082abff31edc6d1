import { type FastifyInstance } from 'fastify';
import { type MetricsService } from './metrics.service';

/** Label for requests no route matched (404s, scans): one series instead of one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every response by route template. A Fastify hook rather than a Nest interceptor so that
 * requests rejected before a handler runs (guards, 404s, body-limit 413s) are counted too.
 * Call once on the app's Fastify instance before `app.listen()`.
 */
export function registerHttpMetrics(
  fastify: FastifyInstance,
  metrics: Pick<MetricsService, 'observeHttpRequest'>,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
