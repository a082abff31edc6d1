import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { TokenEntity } from '../entities';

/** The scheduled rotation sweep's rows, and the savepoint that lets one token's failure leave the batch. */
@Injectable()
export class RotationSweepRepository {
  /** Active, unexpired tokens whose rotation is due, locked (SKIP LOCKED: another worker takes others). */
  async lockDue(tx: Tx, limit: number): Promise<TokenEntity[]> {
    const locked = await tx.rows<{ id: string }>(
      `SELECT id FROM tokens
        WHERE status = 'active' AND next_rotation_at IS NOT NULL AND next_rotation_at <= now() AND expires_at > now()
        ORDER BY next_rotation_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (locked.length === 0) return [];
    return tx.manager
      .createQueryBuilder(TokenEntity, 't')
      .where('t.id = ANY(:ids)', { ids: locked.map((r) => r.id) })
      .orderBy('t.next_rotation_at')
      .getMany();
  }

  /** The token is no longer rotated on schedule. */
  async stopSchedule(tx: Tx, tokenId: string): Promise<void> {
    await tx.rows(`UPDATE tokens SET next_rotation_at = NULL, updated_at = now() WHERE id = $1`, [tokenId]);
  }

  async savepoint(tx: Tx): Promise<void> {
    await tx.rows('SAVEPOINT rotation');
  }

  async releaseSavepoint(tx: Tx): Promise<void> {
    await tx.rows('RELEASE SAVEPOINT rotation');
  }

  /** Undoes everything since `savepoint`, the transaction going on. */
  async rollbackToSavepoint(tx: Tx): Promise<void> {
    await tx.rows('ROLLBACK TO SAVEPOINT rotation');
  }
}
