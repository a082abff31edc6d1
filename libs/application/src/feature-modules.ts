import { AccountsModule } from './accounts/accounts.module';
import { AlertEvaluationModule, AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { ComplianceModule, ReportGenerationModule } from './compliance/compliance.module';
import { ConsentsModule } from './consents/consents.module';
import { InstallationModule } from './installation/installation.module';
import { InventoryModule } from './inventory/inventory.module';
import { FeedModule } from './feed/feed.module';
import { InvitationsModule } from './invitations/invitations.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { PolicyModule } from './policy/policy.module';
import { AccessReviewsModule, ReviewSchedulingModule } from './reviews/reviews.module';
import { ServicesModule } from './services/services.module';
import { SsoModule } from './sso/sso.module';
import { SweepsModule } from './sweeps/sweeps.module';
import { TokensModule } from './tokens/tokens.module';
import { UsageMaintenanceModule, UsageModule, UsageReadModule } from './usage/usage.module';
import { TokenCacheModule } from './verify/token-cache.module';
import { VerifyModule } from './verify/verify.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export {
  AccessReviewsModule, ReviewSchedulingModule, AccountsModule, AlertEvaluationModule, AlertsModule, AuditModule, ComplianceModule, ConsentsModule, FeedModule, InstallationModule, InventoryModule, PasskeysModule, PolicyModule,
  ReportGenerationModule, ServicesModule, SsoModule, SweepsModule, TokenCacheModule, TokensModule, UsageMaintenanceModule, UsageModule, UsageReadModule,
  VerifyModule, WebhooksModule,
};

/**
 * The feature modules an app imports. Each declares its use cases and the features it builds on; the
 * infrastructure (Database and the repositories, hashers, SecretBox, settings from settingsProviders,
 * INVALIDATION_PUBLISHER, and for the api LOGIN_THROTTLE and REPORT_QUEUE) comes from the app's
 * global modules.
 */
export const API_FEATURES = [
  AccessReviewsModule, AccountsModule, AlertsModule, AuditModule, ComplianceModule, ConsentsModule, InstallationModule, InventoryModule, PasskeysModule, PolicyModule,
  ServicesModule, TokensModule, UsageModule, UsageReadModule, VerifyModule, WebhooksModule, InvitationsModule, SsoModule, FeedModule,
];

export const WORKER_FEATURES = [
  AlertEvaluationModule, ReviewSchedulingModule, AuditModule, InstallationModule, ReportGenerationModule, SweepsModule, TokensModule, UsageMaintenanceModule, WebhooksModule,
];
