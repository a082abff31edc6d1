import { Inject, Injectable } from '@nestjs/common';
import type { AuditAction, TokenStatus } from '@custos/contracts';
import { TokenSweepRepository, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from '../audit/audit-log';
import { TokenChanges, type ChangedToken } from '../feed/token-changes';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/** What expiring due tokens asks of the database. */
export type ExpiryWrites = Pick<TokenSweepRepository, 'expireDue'>;

/**
 * Expires due rows and writes their events already sealed into the tenant's chain: at a million
 * tokens, sealing afterwards would write every event twice.
 *
 * The claim is the tenant's chain head, locked for the batch with SKIP LOCKED: no two sweeps ever work
 * in one tenant at once (a second worker sweeps another tenant meanwhile), so the rows need no lock
 * of their own. A row an api request changes meanwhile is left for the next run (see
 * TokenSweepRepository.expireDue), never expired twice or reported with a stale `from`. Verify checks
 * the clock itself, so a late sweep never lets a token live longer; the sweep makes the status and the
 * audit trail say so.
 */
async function expireDue(
  tx: Tx,
  audit: AuditLog,
  tokens: ExpiryWrites,
  changes: TokenChanges,
  sweep: { from: readonly TokenStatus[]; dueColumn: 'expires_at' | 'grace_ends_at'; action: AuditAction },
  limit: number,
): Promise<number> {
  const head = await audit.lockChainHead(tx, { skipLocked: true });
  if (!head) return 0;
  const entries: AuditEntry[] = [];
  const expired: ChangedToken[] = [];
  for (const from of sweep.from) {
    if (entries.length >= limit) break;
    const rows = await tokens.expireDue(tx, from, sweep.dueColumn, limit - entries.length);
    for (const row of rows) {
      entries.push({ action: sweep.action, actor: SYSTEM_ACTOR, target: { type: 'token', id: row.id }, data: { from } });
      expired.push(row);
    }
  }
  await audit.recordSealed(tx, head, SWEEP_META, ...entries);
  // Verify refuses them by their dates already, here and in every SDK: the feed says so for its readers.
  changes.afterCommit(tx, 'expired', expired, { dropCaches: false });
  return entries.length;
}

/** Active and suspended tokens past their expiry → expired (`token.expired`). */
@Injectable()
export class ExpireSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'expire';
  readonly batchSize = 5000;

  constructor(
    private readonly audit: AuditLog,
    @Inject(TokenSweepRepository) private readonly tokens: ExpiryWrites,
    private readonly changes: TokenChanges,
  ) {}

  batch(tx: Tx, limit: number): Promise<number> {
    return expireDue(tx, this.audit, this.tokens, this.changes, {
      from: ['active', 'suspended'],
      dueColumn: 'expires_at',
      action: 'token.expired',
    }, limit);
  }
}

/** Rotating tokens whose grace period ended → expired (`token.rotation_completed`). */
@Injectable()
export class GraceEndSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'grace_end';
  readonly batchSize = 5000;

  constructor(
    private readonly audit: AuditLog,
    @Inject(TokenSweepRepository) private readonly tokens: ExpiryWrites,
    private readonly changes: TokenChanges,
  ) {}

  batch(tx: Tx, limit: number): Promise<number> {
    return expireDue(tx, this.audit, this.tokens, this.changes, {
      from: ['rotating'],
      dueColumn: 'grace_ends_at',
      action: 'token.rotation_completed',
    }, limit);
  }
}
