import { Injectable } from '@nestjs/common';
import { CONSENT_EXPIRED_REASON } from '@custos/contracts';
import type { Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/**
 * Consents whose window has ended → their bound tokens expired (`token.expired`, reason
 * `consent_expired`), the events sealed as they are written. Verify refuses such tokens from the first
 * second (CONSENT_EXPIRED) whatever the sweep's pace; the sweep makes statuses and the audit trail say
 * so. A consent is marked swept once no live token is left on it; renewing it clears the mark.
 */
@Injectable()
export class ConsentEndSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'consent_end';
  readonly batchSize = 5000;

  constructor(private readonly audit: AuditLog) {}

  discoverTenants(tx: Tx, limit: number): Promise<Array<{ t: string }>> {
    return tx.rows<{ t: string }>(`SELECT custos_tenants_with_ended_consents($1) AS t`, [limit]);
  }

  async batch(tx: Tx, limit: number): Promise<number> {
    const head = await this.audit.lockChainHead(tx, { skipLocked: true });
    if (!head) return 0;
    const ended = await tx.rows<{ id: string }>(
      `SELECT id FROM consents WHERE withdrawn_at IS NULL AND expiry_swept_at IS NULL AND valid_until <= now()
        ORDER BY valid_until LIMIT $1 FOR UPDATE`,
      [limit],
    );
    if (ended.length === 0) return 0;
    const ids = ended.map((c) => c.id);
    const due = await tx.rows<{ id: string; status: string; consent_id: string }>(
      `SELECT id, status, consent_id FROM tokens WHERE consent_id = ANY($1) AND status IN ('active', 'rotating', 'suspended')
        ORDER BY id LIMIT $2 FOR UPDATE`,
      [ids, limit],
    );
    if (due.length > 0) {
      await tx.rows(`UPDATE tokens SET status = 'expired', updated_at = now() WHERE id = ANY($1)`, [due.map((t) => t.id)]);
      await this.audit.recordSealed(
        tx,
        head,
        SWEEP_META,
        ...due.map((t) => ({
          action: 'token.expired' as const,
          actor: SYSTEM_ACTOR,
          target: { type: 'token', id: t.id },
          data: { from: t.status, reason: CONSENT_EXPIRED_REASON, consentId: t.consent_id },
        })),
      );
    }
    if (due.length < limit) {
      await tx.rows(`UPDATE consents SET expiry_swept_at = now() WHERE id = ANY($1)`, [ids]);
      return due.length + ids.length;
    }
    return due.length;
  }
}
