import { type FastifyInstance } from 'fastify';
import { type MetricsService } from './metrics.service';

/** Label for requests no route matched (404s, scans): one series instead of one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Label for the dashboard's files. @fastify/static registers a route per file (each build's
 * fingerprinted names new ones), so labelled by template they would add series with every release.
 */
export const STATIC_ROUTE = 'static';

/**
 * Times every response by route template. A Fastify hook rather than a Nest interceptor so that
 * requests rejected before a handler runs (guards, 404s, body-limit 413s) are counted too.
 * Call once on the app's Fastify instance before `app.listen()`.
 */
export function registerHttpMetrics(
  fastify: FastifyInstance,
  metrics: Pick<MetricsService, 'observeHttpRequest'>,
  staticRoutes: ReadonlySet<string> = new Set(),
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const template = request.routeOptions.url;
    const route = template === undefined ? UNMATCHED_ROUTE : staticRoutes.has(template) ? STATIC_ROUTE : template;
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
