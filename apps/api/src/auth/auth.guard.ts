import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { restrictedSession } from '@custos/application';
import type { SessionRestriction } from '@custos/contracts';
import type { FastifyReply } from 'fastify';
import { REQUIRED_SCOPES, type AuthenticatedRequest } from './auth.decorators';
import { Authenticator } from './authenticator';
import { IS_PUBLIC } from './public.decorator';
import { ALLOWED_WHILE_RESTRICTED } from './restricted.decorator';
import { ServiceKeyRateLimit } from './service-key-rate-limit';

/**
 * Every route needs a principal holding the route's scopes, unless it is marked @Public(); a service
 * key's requests count against its rate limit. A session owed an MFA enrolment or a password change
 * reaches only the routes marked @AllowedWhileRestricted for it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly rateLimit: ServiceKeyRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(request);
    request.principal = principal;
    const restriction = principal.session?.restriction;
    if (restriction) {
      const allowed = this.reflector.getAllAndOverride<SessionRestriction[] | undefined>(ALLOWED_WHILE_RESTRICTED, targets) ?? [];
      if (!allowed.includes(restriction)) throw restrictedSession(restriction);
    }
    await this.rateLimit.check(principal, context.switchToHttp().getResponse<FastifyReply>());
    this.authenticator.requireScopes(principal, this.reflector.getAllAndOverride(REQUIRED_SCOPES, targets) ?? []);
    return true;
  }
}
