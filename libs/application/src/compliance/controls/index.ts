import type { Framework } from '@custos/contracts';
import { accessReviewsControl, type AccessReviewReads } from './access-reviews.control';
import { alertAcknowledgementControl, alertRemediationControl, leakedTokenRevocationControl, type AlertResponseReads } from './alert-response.controls';
import { auditChainControl, type AuditPeriodReads } from './audit-chain.control';
import { consentBindingControl } from './consent-binding.control';
import { consentWithdrawalLatencyControl, type WithdrawalLatencyReads } from './consent-withdrawal-latency.control';
import type { ComplianceControl } from './control';
import { crossBorderTransfersControl, type CrossBorderTransferReads } from './cross-border-transfers.control';
import { failedLoginsControl, type FailedLoginReads } from './failed-logins.control';
import type { GeofenceReads } from './geofence-findings';
import { healthDataGeofenceControl } from './health-data-geofence.control';
import { personalDataResidencyControl } from './personal-data-residency.control';
import { privilegedAccountsControl, type PrivilegedAccountReads } from './privileged-accounts.control';
import { revocationAccountabilityControl, type RevocationReads } from './revocation-accountability.control';
import { scopeBreadthControl, type ScopeBreadthReads } from './scope-breadth.control';
import { tokenExpiryCapControl } from './token-expiry-cap.control';
import { tokenOwnerControl } from './token-owner.control';
import { tokenRotationAgeControl, type RotationAgeReads } from './token-rotation-age.control';
import { unusedTokensControl } from './unused-tokens.control';

export * from './control';

/** What the whole catalogue reads (ComplianceRepository): every control's port together. */
export type ControlReads = RotationAgeReads &
  ScopeBreadthReads &
  RevocationReads &
  WithdrawalLatencyReads &
  AuditPeriodReads &
  PrivilegedAccountReads &
  FailedLoginReads &
  GeofenceReads &
  CrossBorderTransferReads &
  AlertResponseReads &
  AccessReviewReads;

/** The control catalogue, in report order. A new control is a file in this folder and a line here. */
export function controlCatalogue(compliance: ControlReads): readonly ComplianceControl[] {
  return [
    tokenExpiryCapControl(compliance),
    tokenRotationAgeControl(compliance),
    unusedTokensControl(compliance),
    scopeBreadthControl(compliance),
    tokenOwnerControl(compliance),
    revocationAccountabilityControl(compliance),
    consentWithdrawalLatencyControl(compliance),
    consentBindingControl(compliance),
    personalDataResidencyControl(compliance),
    healthDataGeofenceControl(compliance),
    crossBorderTransfersControl(compliance),
    auditChainControl(compliance),
    privilegedAccountsControl(compliance),
    failedLoginsControl(compliance),
    alertAcknowledgementControl(compliance),
    leakedTokenRevocationControl(compliance),
    alertRemediationControl(compliance),
    accessReviewsControl(compliance),
  ];
}

/** The controls of the catalogue that give evidence for a framework, with that framework's clauses. */
export function controlsFor(framework: Framework, catalogue: readonly ComplianceControl[]): ComplianceControl[] {
  return catalogue.filter((c) => (c.mappings[framework]?.length ?? 0) > 0);
}
