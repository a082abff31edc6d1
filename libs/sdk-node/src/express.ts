import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorizeRequest, pathOf, type GuardOptions } from './middleware/authorize-request';
import { PROBLEM_CONTENT_TYPE } from './middleware/refusal';
import type { Verifier } from './verifier/create-verifier';
import type { VerifyResult } from './verifier/verify-types';

export type { GuardOptions } from './middleware/authorize-request';
export type { ProblemDetails, RefusalCode } from './middleware/refusal';

declare global {
  // Express types its request through this global namespace; merging into it types `req.custos` for its users.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verify result of the request's bearer token, set by custosMiddleware. */
      custos?: VerifyResult;
    }
  }
}

/** The parts of an Express request the middleware reads and writes; typed on node:http so express is no dependency. */
export type CustosRequest = IncomingMessage & { ip?: string; originalUrl?: string; custos?: VerifyResult };

/**
 * Express middleware that lets a request through only with a bearer token Custos accepts for `scopes` from
 * the request's address (`req.ip`, so Express's `trust proxy` applies); otherwise it answers problem+json.
 *
 *     app.get('/orders', custosMiddleware(verifier, { scopes: ['orders:read'] }), handler)
 */
export function custosMiddleware(verifier: Verifier, options: GuardOptions = {}): (req: CustosRequest, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    const credentials = { authorization: req.headers.authorization, ip: req.ip ?? req.socket.remoteAddress, resource: pathOf(req.originalUrl ?? req.url) };
    authorizeRequest(verifier, credentials, options).then((outcome) => {
      if (outcome.allowed) {
        req.custos = outcome.result;
        return next();
      }
      res.statusCode = outcome.problem.status;
      res.setHeader('content-type', PROBLEM_CONTENT_TYPE);
      if (outcome.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(outcome.retryAfterSeconds));
      res.end(JSON.stringify(outcome.problem));
    }, next);
  };
}
