import { Inject, Injectable } from '@nestjs/common';
import { TokenSweepRepository, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { TokenChanges } from '../feed/token-changes';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/** What the quiet-token rule asks of the database. */
export type UnusedTokenWrites = Pick<TokenSweepRepository, 'unusedPolicy' | 'suspendUnused' | 'warnUnused'>;

/**
 * Tenant policy `disableUnusedAfterDays`: an active token nobody has used for that long is suspended
 * (`token.suspended_unused`, resumable by an admin, and resuming restarts the clock); a
 * `token.unused_warning` comes 7 days before (half-way for limits under two weeks), once per quiet spell.
 */
@Injectable()
export class UnusedTokenSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'unused';
  readonly batchSize = 500;

  constructor(
    private readonly audit: AuditLog,
    private readonly changes: TokenChanges,
    @Inject(TokenSweepRepository) private readonly tokens: UnusedTokenWrites,
  ) {}

  async batch(tx: Tx, limit: number): Promise<number> {
    const policy = await this.tokens.unusedPolicy(tx);
    if (!policy) return 0;
    const suspended = await this.suspend(tx, policy.days, limit);
    const warned = suspended < limit ? await this.warn(tx, policy.days, policy.warnDays, limit - suspended) : 0;
    return suspended + warned;
  }

  private async suspend(tx: Tx, days: number, limit: number): Promise<number> {
    const rows = await this.tokens.suspendUnused(tx, days, limit);
    if (rows.length === 0) return 0;
    await this.audit.record(
      tx,
      SWEEP_META,
      ...rows.map((r) => ({
        action: 'token.suspended_unused' as const,
        actor: SYSTEM_ACTOR,
        target: { type: 'token', id: r.id },
        data: { unusedSince: r.unusedSince.toISOString(), disableUnusedAfterDays: days },
      })),
    );
    this.changes.afterCommit(tx, 'suspended', rows);
    return rows.length;
  }

  private async warn(tx: Tx, days: number, warnDays: number, limit: number): Promise<number> {
    const rows = await this.tokens.warnUnused(tx, warnDays, limit);
    if (rows.length === 0) return 0;
    await this.audit.record(
      tx,
      SWEEP_META,
      ...rows.map((r) => ({
        action: 'token.unused_warning' as const,
        actor: SYSTEM_ACTOR,
        target: { type: 'token', id: r.id },
        data: {
          unusedSince: r.unusedSince.toISOString(),
          suspendsAt: new Date(r.unusedSince.getTime() + days * 86_400_000).toISOString(),
        },
      })),
    );
    return rows.length;
  }
}
