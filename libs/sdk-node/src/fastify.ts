import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { authorizeRequest, pathOf, type GuardOptions } from './middleware/authorize-request';
import { PROBLEM_CONTENT_TYPE } from './middleware/refusal';
import type { Verifier } from './verifier/create-verifier';
import type { VerifyResult } from './verifier/verify-types';

export type { GuardOptions } from './middleware/authorize-request';
export type { ProblemDetails, RefusalCode } from './middleware/refusal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verify result of the request's bearer token, set by custosAuth. */
    custos?: VerifyResult;
  }
}

/**
 * A Fastify preHandler that lets a request through only with a bearer token Custos accepts for `scopes`
 * from the request's address; otherwise it answers problem+json (401, 403, 429 or 503).
 *
 *     app.get('/orders', { preHandler: custosAuth(verifier, { scopes: ['orders:read'] }) }, handler)
 */
export function custosAuth(verifier: Verifier, options: GuardOptions = {}): preHandlerAsyncHookHandler {
  return async function custosPreHandler(request: FastifyRequest, reply: FastifyReply) {
    const outcome = await authorizeRequest(verifier, { authorization: request.headers.authorization, ip: request.ip, resource: pathOf(request.url) }, options);
    if (outcome.allowed) {
      request.custos = outcome.result;
      return;
    }
    if (outcome.retryAfterSeconds !== undefined) reply.header('retry-after', String(outcome.retryAfterSeconds));
    await reply.code(outcome.problem.status).type(PROBLEM_CONTENT_TYPE).send(outcome.problem);
  };
}
