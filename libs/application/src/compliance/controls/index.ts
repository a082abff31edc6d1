import type { Framework } from '@custos/contracts';
import { auditChainControl } from './audit-chain.control';
import { consentBindingControl } from './consent-binding.control';
import { consentWithdrawalLatencyControl } from './consent-withdrawal-latency.control';
import type { ComplianceControl } from './control';
import { failedLoginsControl } from './failed-logins.control';
import { privilegedAccountsControl } from './privileged-accounts.control';
import { revocationAccountabilityControl } from './revocation-accountability.control';
import { scopeBreadthControl } from './scope-breadth.control';
import { tokenExpiryCapControl } from './token-expiry-cap.control';
import { tokenOwnerControl } from './token-owner.control';
import { tokenRotationAgeControl } from './token-rotation-age.control';
import { unusedTokensControl } from './unused-tokens.control';

export * from './control';

/** The control catalogue, in report order. A new control is a file in this folder and a line here. */
export const CONTROLS: readonly ComplianceControl[] = [
  tokenExpiryCapControl,
  tokenRotationAgeControl,
  unusedTokensControl,
  scopeBreadthControl,
  tokenOwnerControl,
  revocationAccountabilityControl,
  consentWithdrawalLatencyControl,
  consentBindingControl,
  auditChainControl,
  privilegedAccountsControl,
  failedLoginsControl,
];

/** The controls that give evidence for a framework, with that framework's clauses. */
export function controlsFor(framework: Framework, catalogue: readonly ComplianceControl[] = CONTROLS): ComplianceControl[] {
  return catalogue.filter((c) => (c.mappings[framework]?.length ?? 0) > 0);
}
