import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { ReadinessIndicators } from './readiness.indicators';

/**
 * Liveness and readiness probes. The DataSource (@nestjs/typeorm's default) and the REDIS
 * connection are expected from the app's global infrastructure module; none are created here.
 */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [ReadinessIndicators],
})
export class HealthModule {}
