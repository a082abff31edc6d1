import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { ReadinessIndicators } from './readiness.indicators';

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
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Whether to route traffic here: the database and Redis both answer within the timeout. */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.readiness.database(), () => this.readiness.redis()]);
    } catch (error) {
      // Terminus reports "down" as a 503 exception. Answer it here, so the body stays terminus's
      // { status, info, error, details } instead of passing through the app's problem+json filter.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
