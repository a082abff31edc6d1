import { Inject, Injectable } from '@nestjs/common';
import { PolicyService, type Principal, type TokenRateLimiter } from '@custos/application';
import { DomainError } from '@custos/domain';
import type { FastifyReply } from 'fastify';

/** Requests per service key on the API, per the tenant's policy (apiRateLimit), counted in Redis. */
export const API_RATE_LIMITER = Symbol('API_RATE_LIMITER');

/**
 * Each service key gets the tenant's budget of API requests per window, shared by every api instance;
 * past it, 429 with Retry-After. Verify is not counted here: it is the hot path, and each verified token
 * carries its own rate limit. People signed in to the dashboard are not counted either (log-in has its
 * own throttle). Every answer says where the key stands (RateLimit-* headers).
 */
@Injectable()
export class ServiceKeyRateLimit {
  constructor(
    @Inject(API_RATE_LIMITER) private readonly limiter: TokenRateLimiter,
    private readonly policies: PolicyService,
  ) {}

  async check(principal: Principal, reply: FastifyReply): Promise<void> {
    if (principal.kind !== 'service_key') return;
    const budget = await this.policies.apiRateLimitOf(principal.tenantId);
    const state = await this.limiter.consume(principal.id, budget);
    reply.header('ratelimit-limit', state.limit);
    reply.header('ratelimit-remaining', state.remaining);
    reply.header('ratelimit-reset', Math.max(0, Math.ceil((state.resetAt.getTime() - Date.now()) / 1000)));
    if (!state.allowed) {
      throw DomainError.rateLimited(state.retryAfterSeconds * 1000, `This service key made more than ${state.limit} requests in ${budget.windowSeconds} s; slow down.`);
    }
  }
}
