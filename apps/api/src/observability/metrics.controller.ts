import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { CustosConfig } from '@custos/runtime';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { CUSTOS_CONFIG } from '../infrastructure/config.provider';
import { checkMetricsAccess } from './metrics-access';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint. Outside the API's authentication: with CUSTOS_METRICS_TOKEN set it wants
 * that bearer token, without it it is open like any scrape target (restrict it at the network).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(CUSTOS_CONFIG) private readonly config: CustosConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    checkMetricsAccess(authorization, this.config.CUSTOS_METRICS_TOKEN);
    const body = await this.metrics.render();
    reply.type(this.metrics.contentType);
    return body;
  }
}
