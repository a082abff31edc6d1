import { Inject, Injectable } from '@nestjs/common';
import { TokenSweepRepository, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/** What sending expiry notices asks of the database. */
export type ExpiryNoticeWrites = Pick<TokenSweepRepository, 'claimExpiryNotices'>;

/**
 * "Expiring soon": a `token.expiring` event (and webhook) 7 days and 1 day before a token's expiry,
 * once each. `expiry_notice_at` (kept by a trigger from expires_at) says when the next one is due; a
 * token that lives less than a window gets no notice for it, and a late sweep sends only the nearer one.
 */
@Injectable()
export class ExpiryNoticeSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'expiry_notice';
  readonly batchSize = 500;

  constructor(
    private readonly audit: AuditLog,
    @Inject(TokenSweepRepository) private readonly tokens: ExpiryNoticeWrites,
  ) {}

  async batch(tx: Tx, limit: number): Promise<number> {
    const rows = await this.tokens.claimExpiryNotices(tx, limit);
    if (rows.length > 0) {
      await this.audit.record(
        tx,
        SWEEP_META,
        ...rows.map((r) => ({
          action: 'token.expiring' as const,
          actor: SYSTEM_ACTOR,
          target: { type: 'token', id: r.id },
          data: { expiresAt: r.expiresAt.toISOString(), withinDays: r.withinDays },
        })),
      );
    }
    return rows.length;
  }
}
