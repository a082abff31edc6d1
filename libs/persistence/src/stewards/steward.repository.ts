import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/** What a user stewards, counted. */
export interface Stewarded {
  tokens: number;
  services: number;
}

/** Stewards of tokens and services (migration 1765800000000), in the tenant's transaction. */
@Injectable()
export class StewardRepository {
  /** The steward a token or service made by `createdBy` gets when none is named (custos_default_steward). */
  async defaultFor(tx: Tx, createdBy: string): Promise<string | null> {
    const row = await tx.one<{ s: string | null }>(`SELECT custos_default_steward(current_setting('app.tenant_id'), $1) AS s`, [createdBy]);
    return row?.s ?? null;
  }

  async isUser(tx: Tx, userId: string): Promise<boolean> {
    return (await tx.rows(`SELECT 1 FROM users WHERE id = $1`, [userId])).length > 0;
  }

  /** Tokens (whatever their status) and services the user stewards. */
  async stewardedBy(tx: Tx, userId: string): Promise<Stewarded> {
    const row = await tx.one<{ tokens: number; services: number }>(
      `SELECT (SELECT count(*)::int FROM tokens WHERE steward_user_id = $1) AS tokens,
              (SELECT count(*)::int FROM services WHERE steward_user_id = $1) AS services`,
      [userId],
    );
    return { tokens: row?.tokens ?? 0, services: row?.services ?? 0 };
  }

  /** Hands everything `from` stewards to `to`. */
  async reassign(tx: Tx, from: string, to: string): Promise<void> {
    await tx.rows(`UPDATE tokens SET steward_user_id = $2 WHERE steward_user_id = $1`, [from, to]);
    await tx.rows(`UPDATE services SET steward_user_id = $2 WHERE steward_user_id = $1`, [from, to]);
  }
}
