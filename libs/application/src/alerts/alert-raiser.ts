import { Inject, Injectable } from '@nestjs/common';
import { nextStatus, remediationFor, type AlertRuleSettings } from '@custos/domain';
import { AlertRepository, TokenRepository, type AlertFinding, type AlertRecord, type AlertRemediationRecord, type TokenEntity, type Tx } from '@custos/persistence';
import { AuditLog, type AuditActor, type AuditEntry } from '../audit/audit-log';
import type { RequestMeta } from '../auth/principal';
import { TokenChanges } from '../feed/token-changes';

export type AlertWrites = Pick<AlertRepository, 'raiseOrRepeat' | 'setRemediation'>;
export type RemediatedTokens = Pick<TokenRepository, 'lockById' | 'update'>;

export interface RaiseOptions {
  settings: AlertRuleSettings;
  /** Remediation may touch service keys that administer the tenant (a leak report always may). */
  remediateOwnerServiceKeys: boolean;
  actor: AuditActor;
  meta: RequestMeta;
  /** Why the token changes, for its revoked or suspended reason: the alert's id is added. */
  reason?: string;
  /** The alert's token, already locked by the caller (a batch locks all of its tokens in one statement). */
  lockedToken?: TokenEntity;
  /**
   * Where to put the audit events instead of writing them, for a caller that writes a batch's events in
   * one statement before its transaction commits.
   */
  auditInto?: AuditEntry[];
}

/**
 * Raises a finding as an alert, in the caller's transaction: a new alert is audited (and announced by
 * webhook through the audit outbox) and remediated as its rule says, the token's change and its audit
 * event in the same transaction, the api instances told after commit. A repeat only adds to the open
 * alert: no audit event per repeat, which would flood the chain, and no second remediation (a token an
 * admin resumed while the alert stays open is theirs to judge).
 */
@Injectable()
export class AlertRaiser {
  constructor(
    private readonly audit: AuditLog,
    private readonly changes: TokenChanges,
    @Inject(AlertRepository) private readonly alerts: AlertWrites,
    @Inject(TokenRepository) private readonly tokens: RemediatedTokens,
  ) {}

  async raise(tx: Tx, finding: AlertFinding, options: RaiseOptions): Promise<{ alert: AlertRecord; raised: boolean }> {
    const { alert, raised } = await this.alerts.raiseOrRepeat(tx, finding);
    if (!raised) return { alert, raised };
    const remediation = await this.remediate(tx, alert, options);
    if (remediation) {
      await this.alerts.setRemediation(tx, alert.id, remediation);
      alert.remediation = remediation;
    }
    await this.write(tx, options, {
      action: 'alert.raised',
      actor: options.actor,
      target: { type: 'alert', id: alert.id },
      data: {
        rule: alert.rule,
        severity: alert.severity,
        subject: alert.subject,
        tokenId: alert.tokenId,
        serviceId: alert.serviceId,
        count: alert.count,
        details: alert.details,
        remediation: alert.remediation,
      },
      webhookData: {
        firstSeenAt: alert.firstSeenAt.toISOString(),
        lastSeenAt: alert.lastSeenAt.toISOString(),
        evidence: alert.evidence,
        // A leak or a remediation is a breach to assess: where its signed impact report is.
        ...(alert.tokenId && (alert.rule === 'leaked' || (remediation && remediation.action !== 'none')) ? { impact: `/v1/tokens/${alert.tokenId}/impact` } : {}),
      },
    });
    return { alert, raised };
  }

  private async remediate(tx: Tx, alert: AlertRecord, options: RaiseOptions): Promise<AlertRemediationRecord | null> {
    if (options.settings.remediation === 'none' || !alert.tokenId) return null;
    const token = options.lockedToken?.id === alert.tokenId ? options.lockedToken : await this.tokens.lockById(tx, alert.tokenId);
    if (!token) return null;
    const decision = remediationFor(options.settings.remediation, token, options.remediateOwnerServiceKeys);
    if (decision.action === 'none') return { action: 'none', skipped: decision.skipped };
    const now = new Date();
    const reason = `${options.reason ?? alert.rule} (alert ${alert.id})`;
    await this.change(tx, token, decision.action, reason, now, options);
    return { action: decision.action, at: now.toISOString() };
  }

  private async change(tx: Tx, token: TokenEntity, action: 'suspend' | 'revoke', reason: string, now: Date, options: RaiseOptions): Promise<void> {
    const changes: Partial<TokenEntity> =
      action === 'revoke'
        ? { revokedAt: now, revokedBy: null, revokedReason: reason }
        : { suspendedAt: now, suspendedReason: 'alert' };
    await this.tokens.update(tx, token.id, { ...changes, status: nextStatus(token.status, action), updatedAt: now });
    await this.write(tx, options, {
      action: action === 'revoke' ? 'token.revoked' : 'token.suspended',
      actor: options.actor,
      target: { type: 'token', id: token.id },
      data: { reason, from: token.status, remediation: true },
    });
    this.changes.afterCommit(tx, action === 'revoke' ? 'revoked' : 'suspended', [token]);
  }

  private async write(tx: Tx, options: RaiseOptions, entry: AuditEntry): Promise<void> {
    if (options.auditInto) options.auditInto.push(entry);
    else await this.audit.record(tx, options.meta, entry);
  }
}
