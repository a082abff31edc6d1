import { Module } from '@nestjs/common';
import { AuthService } from './accounts/auth.service';
import { UsersService } from './accounts/users.service';
import { AuditCheckpoints } from './audit/audit-checkpoints';
import { AuditExport } from './audit/audit-export';
import { AuditLog } from './audit/audit-log';
import { AuditQuery } from './audit/audit-query';
import { AuditSealer } from './audit/audit-sealer';
import { SigningKeys } from './audit/signing-keys';
import { ComplianceEvaluator } from './compliance/compliance-evaluator';
import { ReportsService } from './compliance/reports.service';
import { TokenExport } from './compliance/token-export';
import { ConsentsService } from './consents/consents.service';
import { SubjectRequests } from './consents/subject-requests.service';
import { InstallationService } from './installation/installation.service';
import { TokenInventory } from './inventory/token-inventory.service';
import { TokenOverviewQuery } from './overview/token-overview.service';
import { PolicyService } from './policy/policy.service';
import { ServicesService } from './services/services.service';
import { SuccessorPickup } from './tokens/successor-pickup';
import { TokenEditor } from './tokens/token-editor.service';
import { TokenIssuer } from './tokens/token-issuer.service';
import { TokenLifecycle } from './tokens/token-lifecycle.service';
import { TokenQuery } from './tokens/token-query.service';
import { TokenCache } from './verify/token-cache';
import { TokenSnapshots } from './verify/token-snapshots';
import { UsageRecorder } from './verify/usage-recorder';
import { VerifyService } from './verify/verify.service';
import { WebhooksService } from './webhooks/webhooks.service';

const USE_CASES = [
  AuthService, UsersService, AuditLog, AuditQuery, AuditSealer, PolicyService, ServicesService, SuccessorPickup, TokenEditor, TokenIssuer,
  TokenLifecycle, TokenQuery, TokenInventory, TokenOverviewQuery, TokenCache, TokenSnapshots, UsageRecorder, VerifyService, WebhooksService,
  ConsentsService, SubjectRequests, SigningKeys, AuditCheckpoints, AuditExport,
  ComplianceEvaluator, ReportsService, TokenExport, InstallationService,
];

/**
 * The use cases. Their infrastructure (Database, TokenHasher, PasswordHasher, SecretBox, APPLICATION_SETTINGS,
 * WEBHOOK_SETTINGS, REPORT_QUEUE and optionally INVALIDATION_PUBLISHER) comes from a global module of the app that imports this one.
 */
@Module({ providers: USE_CASES, exports: USE_CASES })
export class ApplicationModule {}
