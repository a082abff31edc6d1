import { Injectable } from '@nestjs/common';
import { andThen, AuthService, VerifyService, type MaybePromise, type Principal } from '@custos/application';
import { fastifyCookie } from '@fastify/cookie';
import { ErrorCode, type CustosScope } from '@custos/contracts';
import { DomainError, missingScopes } from '@custos/domain';
import { safeEqual } from '@custos/crypto';
import type { AuthenticatedRequest } from './auth.decorators';
import { CSRF_HEADER, SESSION_COOKIE } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const INVALID_SERVICE_KEY = (): DomainError => new DomainError(ErrorCode.UNAUTHENTICATED, 'The service key is not valid.');

/**
 * Who is calling: a service key (`Authorization: Bearer`) or a session cookie. Cookie-authenticated
 * unsafe requests must also carry the CSRF token; bearer ones need not (a browser never attaches a
 * bearer header on its own). Used by the global guard and by the verify route, which bypasses Nest.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly auth: AuthService,
    private readonly verify: VerifyService,
  ) {}

  /** A service key known to this instance is checked at once, with no promise (see MaybePromise); a refusal is always a rejection. */
  authenticate(request: AuthenticatedRequest): MaybePromise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined) return this.authenticateSession(request);
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return Promise.reject(INVALID_SERVICE_KEY());
    return andThen(this.verify.authenticateServiceKey(match[1]!, request.ip), (principal) => principal ?? Promise.reject(INVALID_SERVICE_KEY()));
  }

  private async authenticateSession(request: AuthenticatedRequest): Promise<Principal> {
    // The hot path's Fastify instance has no cookie plugin (it would cost every verify a hook): parsed here when needed.
    const sessionToken = (request.cookies ?? fastifyCookie.parse(request.headers.cookie ?? ''))[SESSION_COOKIE];
    if (!sessionToken) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Log in or send a service key.');
    const principal = await this.auth.authenticateSession(sessionToken);
    if (!principal) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended; log in again.');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, this.auth.csrfTokenFor(sessionToken))) {
        throw new DomainError(ErrorCode.CSRF_FAILED, `Send the csrfToken from log-in in the ${CSRF_HEADER} header.`);
      }
    }
    request.sessionToken = sessionToken;
    return principal;
  }

  /** The route's scopes must all be held; a service key's use of them is recorded, as verify records a token's. */
  requireScopes(principal: Principal, required: readonly CustosScope[]): void {
    const missing = missingScopes(required, principal.scopes);
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.FORBIDDEN, `This needs the ${missing.join(', ')} permission.`);
    }
    if (principal.kind === 'service_key') this.verify.recordScopesUsed(principal, required);
  }
}
