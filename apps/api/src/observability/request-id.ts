import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { type FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

// Narrow enough that a caller's id cannot smuggle newlines or markup into logs or headers.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Node's and HTTP/2's request objects both qualify; only the headers are read.
type RawRequest = { readonly headers: IncomingHttpHeaders };

const assigned = new WeakMap<RawRequest, string>();

/**
 * The id of a request: the caller's `x-request-id` when well formed, so a trace can cross
 * services, else a fresh UUID. Memoised per raw request, so every caller gets the same value.
 *
 * On Fastify this must be the adapter's `genReqId` (with `requestIdHeader: false`): middie copies
 * `request.id` onto the raw request before Nest middleware runs, so pino-http never generates an
 * id of its own there, and the logs' `reqId`, `request.id` and problem bodies all share this one.
 */
export function requestIdFor(req: RawRequest): string {
  let id = assigned.get(req);
  if (id === undefined) {
    const incoming = req.headers[REQUEST_ID_HEADER];
    id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    assigned.set(req, id);
  }
  return id;
}

/** pino-http's `genReqId`, for a request that reaches it without an id (not the case on Fastify). */
export function assignRequestId(req: RawRequest, res: ServerResponse): string {
  const id = requestIdFor(req);
  if (!res.headersSent) res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Returns the request id on every response, 404s and errors raised by Fastify itself included. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
