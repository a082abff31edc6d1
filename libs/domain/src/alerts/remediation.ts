import type { AlertRemediation, TokenStatus } from '@custos/contracts';
import { canTransition } from '../tokens/token-lifecycle';

/**
 * The scopes that administer a tenant (its users and its policy): only the owner and admin roles hold
 * them. A service key holding one is how a tenant's automation manages Custos itself; one noisy rule
 * must not lock the tenant out of its own Custos, so remediation leaves such keys alone unless the
 * policy says otherwise (`alerts.remediateOwnerServiceKeys`).
 */
export const TENANT_ADMINISTRATION_SCOPES: readonly string[] = ['custos:policy:write', 'custos:users:write'];

export type RemediationDecision =
  | { action: 'suspend' | 'revoke' }
  | { action: 'none'; skipped?: 'owner_service_key' | 'token_status' | undefined };

/** What a rule's remediation does to a token in its current state. */
export function remediationFor(
  remediation: AlertRemediation,
  token: { status: TokenStatus; scopes: readonly string[] },
  remediateOwnerServiceKeys: boolean,
): RemediationDecision {
  if (remediation === 'none') return { action: 'none' };
  // A suspended token is not suspended again; a rotating one cannot be suspended (its successor is live), only revoked.
  if (!canTransition(token.status, remediation)) return { action: 'none', skipped: 'token_status' };
  if (!remediateOwnerServiceKeys && token.scopes.some((s) => TENANT_ADMINISTRATION_SCOPES.includes(s))) {
    return { action: 'none', skipped: 'owner_service_key' };
  }
  return { action: remediation };
}
