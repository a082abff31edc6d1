import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER, requestIdFor } from '../observability/request-id';
import { depthLimitedJsonParser } from './json-body';
import { answerFrameworkError, sendProblem } from './problem-details.filter';
import { SECURITY_HEADERS } from './security-headers';

/** Fastify's own defaults for the server it would have created itself. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * A second, bare Fastify instance sharing the api's HTTP server, for the routes on which every
 * microsecond counts (POST /v1/verify). Requests for them never pass through Nest's middleware
 * (pino-http via middie), helmet or Nest's router and hooks; everything else goes to the Nest app as
 * before. What they must share with the rest is set up here: the JSON parser's depth limit, helmet's
 * headers (precomputed once), the request id, problem+json for every error and the trusted proxies
 * (request.ip, request.protocol). The server is the Nest
 * adapter's (its `serverFactory`), so there is still one port, one `listen` and one graceful close.
 */
export class HotPath {
  readonly fastify: FastifyInstance;
  private readonly paths = new Set<string>();

  constructor(options: { bodyLimit: number; trustProxy: string[] | false }) {
    this.fastify = Fastify({
      logger: false,
      bodyLimit: options.bodyLimit,
      trustProxy: options.trustProxy,
      requestIdHeader: false,
      genReqId: requestIdFor,
      frameworkErrors: answerFrameworkError,
    });
    this.fastify.removeContentTypeParser('application/json');
    this.fastify.addContentTypeParser('application/json', { parseAs: 'string' }, depthLimitedJsonParser(this.fastify));
    // echoRequestId's work and helmet's headers in one hook: a hook per concern costs a call each on every verify.
    this.fastify.addHook('onRequest', (request, reply, done) => {
      void reply.header(REQUEST_ID_HEADER, request.id).headers(SECURITY_HEADERS);
      done();
    });
    // Fastify's own client errors (bad JSON, 413, 415) and anything a handler throws: problem+json as everywhere.
    this.fastify.setErrorHandler((error, request, reply) => sendProblem(reply, request, error));
    // Not reached in practice (only registered paths are routed here), but never a bare Fastify 404.
    this.fastify.setNotFoundHandler((request, reply) => sendProblem(reply, request, { statusCode: 404 }));
  }

  /** Routes POST requests for `path` here; register the handler on `this.fastify` yourself. */
  claim(path: string): void {
    this.paths.add(path);
  }

  /** For the Nest FastifyAdapter: one Node server that hands claimed requests to this instance. */
  readonly serverFactory = (nestHandler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    const server = createServer((req, res) => {
      if (this.handles(req)) this.fastify.routing(req, res);
      else nestHandler(req, res);
    });
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    return server;
  };

  /** Call once the hot routes are registered, before the server listens. */
  async ready(): Promise<void> {
    await this.fastify.ready();
  }

  async close(): Promise<void> {
    await this.fastify.close();
  }

  private handles(req: IncomingMessage): boolean {
    if (req.method !== 'POST' || this.paths.size === 0) return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    return this.paths.has(query === -1 ? url : url.slice(0, query));
  }
}
