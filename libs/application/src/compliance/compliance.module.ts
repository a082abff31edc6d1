import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ComplianceEvaluator } from './compliance-evaluator';
import { ReportGenerator } from './report-generator';
import { ReportsService } from './reports.service';
import { StaleReports } from './stale-reports';
import { TokenExport } from './token-export';

const COMPLIANCE = [ComplianceEvaluator, ReportsService, TokenExport];

/** Compliance as the api serves it: evaluations, report requests (queued: needs REPORT_QUEUE), token exports. */
@Module({ imports: [AuditModule], providers: COMPLIANCE, exports: COMPLIANCE })
export class ComplianceModule {}

const REPORT_GENERATION = [ReportGenerator, StaleReports];

/** Compliance as the worker runs it: generating and signing the reports the api queued. */
@Module({ imports: [AuditModule], providers: REPORT_GENERATION, exports: REPORT_GENERATION })
export class ReportGenerationModule {}
