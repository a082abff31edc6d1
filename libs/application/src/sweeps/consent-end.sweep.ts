import { Inject, Injectable } from '@nestjs/common';
import { CONSENT_EXPIRED_REASON } from '@custos/contracts';
import { BoundTokenRepository, ConsentRepository, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

export type EndedConsents = Pick<ConsentRepository, 'tenantsWithEnded' | 'lockEnded' | 'markSwept'>;
export type EndedConsentTokens = Pick<BoundTokenRepository, 'lockLiveOf' | 'expire'>;

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

  constructor(
    private readonly audit: AuditLog,
    @Inject(ConsentRepository) private readonly consents: EndedConsents,
    @Inject(BoundTokenRepository) private readonly tokens: EndedConsentTokens,
  ) {}

  async discoverTenants(tx: Tx, limit: number): Promise<Array<{ t: string }>> {
    return (await this.consents.tenantsWithEnded(tx, limit)).map((t) => ({ t }));
  }

  async batch(tx: Tx, limit: number): Promise<number> {
    const head = await this.audit.lockChainHead(tx, { skipLocked: true });
    if (!head) return 0;
    const ids = await this.consents.lockEnded(tx, limit);
    if (ids.length === 0) return 0;
    const due = await this.tokens.lockLiveOf(tx, ids, limit);
    if (due.length > 0) {
      await this.tokens.expire(tx, due.map((t) => t.id));
      await this.audit.recordSealed(
        tx,
        head,
        SWEEP_META,
        ...due.map((t) => ({
          action: 'token.expired' as const,
          actor: SYSTEM_ACTOR,
          target: { type: 'token', id: t.id },
          data: { from: t.status, reason: CONSENT_EXPIRED_REASON, consentId: t.consentId },
        })),
      );
    }
    if (due.length < limit) {
      await this.consents.markSwept(tx, ids);
      return due.length + ids.length;
    }
    return due.length;
  }
}
