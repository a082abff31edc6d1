import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { ReadinessIndicators } from './readiness.indicators';
import { ApiDoc } from '../openapi/operation-docs';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
  ) {}

  /** The process is up and its event loop turns; says nothing of dependencies, so never restarts it for them. */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiDoc({ summary: 'Liveness: the process is up', description: 'Says nothing of dependencies, so an orchestrator never restarts the process for them.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Whether to route traffic here: the database answers within the timeout. Redis is reported too, but
   * without it this instance still verifies, issues and revokes (from Postgres, with its verify cache
   * off), so a Redis outage must not take every instance out of a load balancer: the answer stays 200
   * with `status: "degraded"` and Redis listed under `error`.
   */
  @Get('ready')
  @HealthCheck()
  @ApiDoc({
    summary: 'Readiness: whether to route traffic here',
    description: '503 when the database does not answer; Redis being away answers 200 with status degraded (this instance still serves without it).',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | DegradedResult> {
    if (!this.readiness.usesRedis) {
      const database = await this.run(() => this.readiness.database());
      if (database.status !== 'ok') reply.status(503);
      return database;
    }
    const [database, redis] = await Promise.all([
      this.run(() => this.readiness.database()),
      this.run(() => this.readiness.redis()),
    ]);
    if (database.status !== 'ok') {
      reply.status(503);
      return merge('error', database, redis);
    }
    return redis.status === 'ok' ? merge('ok', database, redis) : merge('degraded', database, redis);
  }

  /** Terminus reports "down" as a 503 exception; keep its body, not the app's problem+json. */
  private async run(check: Parameters<HealthCheckService['check']>[0][number]): Promise<HealthCheckResult> {
    try {
      return await this.health.check([check]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      return error.getResponse() as HealthCheckResult;
    }
  }
}

type DegradedResult = Omit<HealthCheckResult, 'status'> & { status: 'degraded' };

function merge(status: 'ok' | 'error' | 'degraded', ...results: HealthCheckResult[]): HealthCheckResult | DegradedResult {
  const section = (key: 'info' | 'error' | 'details') => Object.assign({}, ...results.map((r) => r[key] ?? {})) as HealthCheckResult['details'];
  return { status, info: section('info'), error: section('error'), details: section('details') } as HealthCheckResult | DegradedResult;
}
