import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenHasher } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import type { FastifyRequest } from 'fastify';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Sign-up and log-in requests per client address per minute (CUSTOS_AUTH_RATE_LIMIT), counted in Redis. */
export const AUTH_RATE_LIMITER = Symbol('AUTH_RATE_LIMITER');

/**
 * Refuses sign-up and log-in requests past the per-address rate, on every api instance alike (the count
 * lives in Redis). The address is kept only as a keyed hash.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(
    @Inject(AUTH_RATE_LIMITER) private readonly limiter: RateLimiterAbstract,
    private readonly hasher: TokenHasher,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    try {
      await this.limiter.consume(this.hasher.derive('auth-address', request.ip ?? 'unknown'));
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw DomainError.rateLimited(rejection.msBeforeNext, 'Too many requests from this address; slow down.');
      throw rejection;
    }
  }
}
