import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

export { registerHttpMetrics, STATIC_ROUTE, UNMATCHED_ROUTE } from './http-metrics';
export { MetricsService } from './metrics.service';

/** Global so that any feature (verify, usage flushing) can count things without importing it. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
