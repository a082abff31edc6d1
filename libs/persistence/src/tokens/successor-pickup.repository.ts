import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { waitingSuccessorOf, type SuccessorPickupRow, type WaitingSuccessor } from './token-rows';

/**
 * A scheduled rotation's successor waiting for the service that owns the token (docs/api.md, "Successor
 * pickup"), never in plaintext: a JWE to the service's key, or a secret sealed under the master key.
 */
@Injectable()
export class SuccessorPickupRepository {
  async insert(
    tx: Tx,
    pickup: { tenantId: string; predecessorId: string; successorId: string; jwe: string | null; sealedSecret: string | null; availableUntil: Date | null },
  ): Promise<void> {
    await tx.rows(
      `INSERT INTO token_successor_pickups (tenant_id, predecessor_id, successor_id, jwe, sealed_secret, available_until)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [pickup.tenantId, pickup.predecessorId, pickup.successorId, pickup.jwe, pickup.sealedSecret, pickup.availableUntil],
    );
  }

  /** The successor waiting for this predecessor, locked (FOR UPDATE) so that it is handed over once. */
  async lockByPredecessor(tx: Tx, predecessorId: string): Promise<WaitingSuccessor | undefined> {
    const row = await tx.one<SuccessorPickupRow>(
      `SELECT successor_id, jwe, sealed_secret, fetched_at FROM token_successor_pickups WHERE predecessor_id = $1 FOR UPDATE`,
      [predecessorId],
    );
    return row ? waitingSuccessorOf(row) : undefined;
  }

  /** Fetched: the secret is gone from the database for good. */
  async markFetched(tx: Tx, predecessorId: string): Promise<void> {
    await tx.rows(
      `UPDATE token_successor_pickups SET fetched_at = now(), jwe = NULL, sealed_secret = NULL WHERE predecessor_id = $1`,
      [predecessorId],
    );
  }
}
