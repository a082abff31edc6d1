import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import type { RedisKeys } from '@custos/contracts';
import type { CustosConfig } from '@custos/runtime';
import { AuthController } from './accounts/auth.controller';
import { EventsController } from './events/events.controller';
import { UsersController } from './accounts/users.controller';
import { SecurityController } from './accounts/security.controller';
import { PasswordController } from './accounts/password.controller';
import { InvitationsController } from './invitations/invitations.controller';
import { AuditChainMetrics } from './audit/audit-chain.metrics';
import { AuditController } from './audit/audit.controller';
import { AuditEvidenceController } from './audit/audit-evidence.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthRateLimitGuard } from './auth/auth-rate-limit.guard';
import { ServiceKeyRateLimit } from './auth/service-key-rate-limit';
import { RateLimitMetrics } from './observability/rate-limit-metrics';
import { Authenticator } from './auth/authenticator';
import { DashboardController } from './dashboard/dashboard.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { InfrastructureModule, UseCasesModule } from './infrastructure/infrastructure.module';
import { InventoryController } from './inventory/inventory.controller';
import { HealthModule } from './observability/health.module';
import { createLoggerModule } from './observability/logging.module';
import { MetricsModule } from './observability/metrics.module';
import { WorkerMetrics } from './observability/worker-metrics';
import { OverviewController } from './overview/overview.controller';
import { PolicyController } from './policy/policy.controller';
import { QueueDashboard } from './queues/queue-dashboard';
import { ServicesController } from './services/services.controller';
import { TokensController } from './tokens/tokens.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { ConsentsController } from './consents/consents.controller';
import { SubjectsController } from './consents/subjects.controller';
import { SigningKeysController } from './tenants/signing-keys.controller';
import { ComplianceController } from './compliance/compliance.controller';
import { TokenExportController } from './compliance/token-export.controller';
import { ReportQueueModule } from './reports/report-queue';
import { ReportsController } from './reports/reports.controller';
import { CrossBorderController } from './usage/cross-border.controller';
import { RegionsController } from './usage/regions.controller';
import { TokenUsageController, UsageController } from './usage/usage.controller';
import { UsageWriterMetrics } from './usage/usage-writer.metrics';
import { AlertsController } from './alerts/alerts.controller';
import { AccessReviewsController } from './reviews/access-reviews.controller';
import { PasskeyAuthController, PasskeysController } from './passkeys/passkeys.controller';
import { TokenImpactController } from './alerts/token-impact.controller';
import { GithubScanningKeys } from './alerts/github-scanning-keys';
import { GithubSignatureGuard, LeaksController } from './alerts/leaks.controller';
import { LeakReportRateLimitGuard } from './auth/auth-rate-limit.guard';
import { SsoAuthController, SsoController } from './sso/sso.controller';

@Module({})
export class AppModule {
  static forRoot(config: CustosConfig, redisKeys: RedisKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        createLoggerModule(config),
        InfrastructureModule.forRoot(config, 'custos-api', redisKeys),
        UseCasesModule,
        HealthModule,
        MetricsModule,
        ReportQueueModule.forRoot(config),
      ],
      controllers: [
        AuthController,
        EventsController,
        UsersController,
        SecurityController,
        InvitationsController,
        PasswordController,
        ServicesController,
        PolicyController,
        TokensController,
        AuditController,
        AuditEvidenceController,
        SigningKeysController,
        WebhooksController,
        ConsentsController,
        SubjectsController,
        InventoryController,
        OverviewController,
        // /v1/tokens/export is a static path: the router prefers it to TokensController's /v1/tokens/:id.
        TokenExportController,
        ReportsController,
        ComplianceController,
        UsageController,
        TokenUsageController,
        CrossBorderController,
        RegionsController,
        AlertsController,
        AccessReviewsController,
        PasskeysController,
        PasskeyAuthController,
        LeaksController,
        TokenImpactController,
        SsoController,
        SsoAuthController,
        // Last: its catch-all must not shadow API routes.
        DashboardController,
      ],
      providers: [
        Authenticator,
        AuthRateLimitGuard,
        LeakReportRateLimitGuard,
        GithubScanningKeys,
        GithubSignatureGuard,
        ServiceKeyRateLimit,
        WorkerMetrics,
        AuditChainMetrics,
        UsageWriterMetrics,
        RateLimitMetrics,
        QueueDashboard,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
