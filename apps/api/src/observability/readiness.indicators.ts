import { Inject, Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthCheckAttempt } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Redis } from 'ioredis';
import { type DataSource } from 'typeorm';
import { REDIS } from '../infrastructure/redis.provider';

/** A probe slower than this counts as down: a load balancer would rather try another instance. */
const READINESS_TIMEOUT_MS = 2000;

/**
 * The dependencies without which this instance cannot serve. The reason a check failed is logged
 * here and kept out of the public response, which could otherwise reveal hosts, users or versions.
 */
@Injectable()
export class ReadinessIndicators {
  private readonly logger = new Logger(ReadinessIndicators.name);

  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redisClient: Redis | null,
  ) {}

  database(): HealthCheckAttempt<'database'> {
    return this.indicators
      .check('database')
      .attempt(() =>
        this.probe('database', async () => {
          if (!this.dataSource.isInitialized) throw new Error('data source is not initialised');
          await this.dataSource.query('SELECT 1');
        }),
      )
      .withTimeout(READINESS_TIMEOUT_MS);
  }

  /** Whether this instance uses Redis at all (not with the queues on Postgres, which the database check covers). */
  get usesRedis(): boolean {
    return this.redisClient !== null;
  }

  redis(): HealthCheckAttempt<'redis'> {
    return this.indicators
      .check('redis')
      .attempt(() =>
        this.probe('redis', async () => {
          await this.redisClient?.ping();
        }),
      )
      .withTimeout(READINESS_TIMEOUT_MS);
  }

  private async probe(name: string, check: () => Promise<void>): Promise<void> {
    try {
      await check();
    } catch (error) {
      this.logger.warn({ err: error, dependency: name }, `readiness check of ${name} failed`);
      throw new Error(`${name} unavailable`);
    }
  }
}
