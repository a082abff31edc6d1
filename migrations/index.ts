import { CreateCoreSchema1763856000000 } from './1763856000000-create-core-schema';
import { AddDueTokenDiscovery1763942400000 } from './1763942400000-add-due-token-discovery';
import { AddWebhooks1764028800000 } from './1764028800000-add-webhooks';
import { AddLifecycleAutomation1764115200000 } from './1764115200000-add-lifecycle-automation';
import { AddInventoryIndexes1764300000000 } from './1764300000000-add-inventory-indexes';
import { NoticesSkipExpiredTokens1764400000000 } from './1764400000000-notices-skip-expired-tokens';
import { AddConsents1764500000000 } from './1764500000000-add-consents';
import { AddAuditCheckpoints1764600000000 } from './1764600000000-add-audit-checkpoints';
import { AddComplianceReports1764700000000 } from './1764700000000-add-compliance-reports';
import { AddStaleReportDiscovery1764800000000 } from './1764800000000-add-stale-report-discovery';
import { AddInstallation1764900000000 } from './1764900000000-add-installation';
import { AddCheckpointRules1765000000000 } from './1765000000000-add-checkpoint-rules';
import { ShareUseBudgetAcrossLineage1765100000000 } from './1765100000000-share-use-budget-across-lineage';
import { DropUserLockColumn1765110000000 } from './1765110000000-drop-user-lock-column';
import { AddWebhookEndpointControls1765125000000 } from './1765125000000-add-webhook-endpoint-controls';
import { AddPeopleDirectory1765130000000 } from './1765130000000-add-people-directory';
import { AddTokenGeofence1765300000000 } from './1765300000000-add-token-geofence';
import { AddRateLimitsAndGeoPolicy1765400000000 } from './1765400000000-add-rate-limits-and-geo-policy';
import { UsageAddressesLastSeen1765500000000 } from './1765500000000-usage-addresses-last-seen';
import { UsageEventsTokenIndexAscending1765600000000 } from './1765600000000-usage-events-token-index-ascending';
import { AddAlerts1765700000000 } from './1765700000000-add-alerts';
import { AddStewardship1765800000000 } from './1765800000000-add-stewardship';
import { AddAccessReviews1765900000000 } from './1765900000000-add-access-reviews';
import { AddStrongSignIn1766000000000 } from './1766000000000-add-strong-sign-in';
import { AddInvitations1766000100000 } from './1766000100000-add-invitations';
import { AddSso1766000200000 } from './1766000200000-add-sso';
import { AddPasskeys1766000300000 } from './1766000300000-add-passkeys';
import { AddUsageWeights1766000400000 } from './1766000400000-add-usage-weights';
import { AddUsageEvents1765200000000 } from './1765200000000-add-usage-events';

/** Every migration, in order. The schema changes only through these. */
export const MIGRATIONS = [
  CreateCoreSchema1763856000000,
  AddDueTokenDiscovery1763942400000,
  AddWebhooks1764028800000,
  AddLifecycleAutomation1764115200000,
  AddInventoryIndexes1764300000000,
  NoticesSkipExpiredTokens1764400000000,
  AddConsents1764500000000,
  AddAuditCheckpoints1764600000000,
  AddComplianceReports1764700000000,
  AddStaleReportDiscovery1764800000000,
  AddInstallation1764900000000,
  AddCheckpointRules1765000000000,
  ShareUseBudgetAcrossLineage1765100000000,
  DropUserLockColumn1765110000000,
  AddWebhookEndpointControls1765125000000,
  AddPeopleDirectory1765130000000,
  AddUsageEvents1765200000000,
  AddTokenGeofence1765300000000,
  AddRateLimitsAndGeoPolicy1765400000000,
  UsageAddressesLastSeen1765500000000,
  UsageEventsTokenIndexAscending1765600000000,
  AddAlerts1765700000000,
  AddStewardship1765800000000,
  AddAccessReviews1765900000000,
  AddStrongSignIn1766000000000,
  AddInvitations1766000100000,
  AddSso1766000200000,
  AddPasskeys1766000300000,
  AddUsageWeights1766000400000,
];
