import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TokenHasher } from '@custos/crypto';
import { DomainError } from '@custos/domain';
import type { FastifyRequest } from 'fastify';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Sign-up and log-in requests per client address per minute (CUSTOS_AUTH_RATE_LIMIT), counted in Redis. */
export const AUTH_RATE_LIMITER = Symbol('AUTH_RATE_LIMITER');
/** Leak reports per client address per minute (CUSTOS_LEAK_REPORT_RATE_LIMIT). */
export const LEAK_REPORT_RATE_LIMITER = Symbol('LEAK_REPORT_RATE_LIMITER');

/**
 * Refuses requests of routes anyone may call past a per-address rate, on every api instance alike (the
 * count lives in Redis). The address is kept only as a keyed hash.
 */
abstract class AddressRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly hasher: TokenHasher,
    private readonly purpose: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    try {
      await this.limiter.consume(this.hasher.derive(this.purpose, request.ip ?? 'unknown'));
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw DomainError.rateLimited(rejection.msBeforeNext, 'Too many requests from this address; slow down.');
      throw rejection;
    }
  }
}

/** Sign-up and log-in. */
@Injectable()
export class AuthRateLimitGuard extends AddressRateLimitGuard {
  constructor(@Inject(AUTH_RATE_LIMITER) limiter: RateLimiterAbstract, hasher: TokenHasher) {
    super(limiter, hasher, 'auth-address');
  }
}

/** POST /v1/leaks: anyone may report, nobody may flood. */
@Injectable()
export class LeakReportRateLimitGuard extends AddressRateLimitGuard {
  constructor(@Inject(LEAK_REPORT_RATE_LIMITER) limiter: RateLimiterAbstract, hasher: TokenHasher) {
    super(limiter, hasher, 'leak-address');
  }
}
