import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TokenCacheModule } from '../verify/token-cache.module';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRaiser } from './alert-raiser';
import { AlertsService } from './alerts.service';
import { LeakIntake } from './leak-intake';
import { BreachImpact } from './breach-impact';

/** The alerts inbox, the leak intake and breach impact reports (api). */
@Module({ imports: [AuditModule, TokenCacheModule], providers: [AlertRaiser, AlertsService, LeakIntake, BreachImpact], exports: [AlertsService, LeakIntake, BreachImpact] })
export class AlertsModule {}

/** The rules evaluated on the signals of written usage events (worker). */
@Module({ imports: [AuditModule, TokenCacheModule], providers: [AlertRaiser, AlertEvaluator], exports: [AlertEvaluator] })
export class AlertEvaluationModule {}
