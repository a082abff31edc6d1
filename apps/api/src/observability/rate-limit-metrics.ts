import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LimiterFallbacks } from '@custos/runtime';
import type { Redis } from 'ioredis';
import { REDIS } from '../infrastructure/redis.provider';
import { MetricsService } from './metrics.module';

/**
 * Whether this instance's rate limits (tokens', service keys', sign-in's) are counted in Redis, shared
 * with the other instances, and how often it counted on its own because Redis did not answer: then
 * each instance lets the whole limit through by itself (docs/operations.md).
 */
@Injectable()
export class RateLimitMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly fallbacks: LimiterFallbacks,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  onModuleInit(): void {
    const { fallbacks, redis } = this;
    this.metrics.registerCounter({
      name: 'rate_limit_fallback_total',
      help: 'Rate-limit decisions this instance took alone, since it started, because Redis did not answer',
      collect() {
        this.reset();
        this.inc(fallbacks.count);
      },
    });
    this.metrics.registerGauge({
      name: 'rate_limits_shared',
      help: '1 when rate limits are counted in Redis, shared by every api instance; 0 when this instance counts alone (queues on Postgres)',
      collect() {
        this.set(redis ? 1 : 0);
      },
    });
  }
}
