import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import { RotationSweepRepository, type Tx } from '@custos/persistence';
import { AuditLog, SYSTEM_ACTOR } from '../audit/audit-log';
import { SuccessorPickup } from '../tokens/successor-pickup';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { SWEEP_META, type DueTokenSweep, type SweepKind } from './due-token-sweep';

/** What scheduled rotation asks of the database (the rotation itself is the issuer's). */
export type RotationSweepWrites = Pick<RotationSweepRepository, 'lockDue' | 'stopSchedule' | 'savepoint' | 'releaseSavepoint' | 'rollbackToSavepoint'>;

/**
 * Tokens with a rotation interval whose `next_rotation_at` has come get a successor through the same
 * use case as a manual rotation, and the successor's secret goes to the owning service (SuccessorPickup).
 * A token its service may no longer hold (its allowed scopes shrank) is not rotated: the sweep records
 * `token.rotation_skipped` with the reason and stops scheduling it, instead of failing the whole batch.
 */
@Injectable()
export class RotationSweep implements DueTokenSweep {
  readonly kind: SweepKind = 'rotate';
  readonly batchSize = 50;
  private readonly logger = new Logger(RotationSweep.name);

  constructor(
    private readonly issuer: TokenIssuer,
    private readonly successors: SuccessorPickup,
    private readonly audit: AuditLog,
    @Inject(RotationSweepRepository) private readonly tokens: RotationSweepWrites,
  ) {}

  async batch(tx: Tx, limit: number): Promise<number> {
    const due = await this.tokens.lockDue(tx, limit);
    for (const token of due) {
      await this.tokens.savepoint(tx);
      try {
        await this.issuer.rotateLocked(tx, { actor: SYSTEM_ACTOR, callerScopes: token.scopes }, token, {}, SWEEP_META, (successor, secret) =>
          this.successors.prepare(tx, token, successor, secret),
        );
        await this.tokens.releaseSavepoint(tx);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await this.tokens.rollbackToSavepoint(tx);
        this.logger.warn({ tokenId: token.id, code: error.code }, 'scheduled rotation skipped');
        await this.tokens.stopSchedule(tx, token.id);
        await this.audit.record(tx, SWEEP_META, {
          action: 'token.rotation_skipped',
          actor: SYSTEM_ACTOR,
          target: { type: 'token', id: token.id },
          data: { code: error.code, reason: error.message },
        });
      }
    }
    return due.length;
  }
}
