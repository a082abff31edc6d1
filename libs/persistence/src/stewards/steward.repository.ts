import { Injectable } from '@nestjs/common';
import { sqlLiteral, type OpeningRead, type Tx } from '../database/database';

/** What a user stewards, counted. */
export interface Stewarded {
  tokens: number;
  services: number;
  /** Access review items waiting for their decision. */
  pendingReviews: number;
}

/** Stewards of tokens and services (migration 1765800000000), in the tenant's transaction. */
@Injectable()
export class StewardRepository {
  /** The steward a token or service made by `createdBy` gets when none is named (custos_default_steward). */
  async defaultFor(tx: Tx, createdBy: string): Promise<string | null> {
    const row =
      tx.opened<{ s: string | null }>(defaultStewardKey(createdBy))?.[0] ??
      (await tx.one<{ s: string | null }>(`SELECT custos_default_steward(current_setting('app.tenant_id'), $1) AS s`, [createdBy]));
    return row?.s ?? null;
  }

  /** defaultFor's read, to send with BEGIN (OpeningRead); null for an id that cannot be inlined. */
  defaultOpening(createdBy: string): OpeningRead | null {
    const literal = sqlLiteral(createdBy);
    if (literal === null) return null;
    return { key: defaultStewardKey(createdBy), sql: () => `SELECT custos_default_steward(current_setting('app.tenant_id'), ${literal}) AS s` };
  }

  async isUser(tx: Tx, userId: string): Promise<boolean> {
    return (await tx.rows(`SELECT 1 FROM users WHERE id = $1`, [userId])).length > 0;
  }

  /** Tokens (whatever their status) and services the user stewards, and the review items they have to decide. */
  async stewardedBy(tx: Tx, userId: string): Promise<Stewarded> {
    const row = await tx.one<{ tokens: number; services: number; reviews: number }>(
      `SELECT (SELECT count(*)::int FROM tokens WHERE steward_user_id = $1) AS tokens,
              (SELECT count(*)::int FROM services WHERE steward_user_id = $1) AS services,
              (SELECT count(*)::int FROM access_review_items WHERE reviewer_user_id = $1 AND status = 'pending') AS reviews`,
      [userId],
    );
    return { tokens: row?.tokens ?? 0, services: row?.services ?? 0, pendingReviews: row?.reviews ?? 0 };
  }

  /** Hands everything `from` stewards, and the review items waiting for them, to `to`. */
  async reassign(tx: Tx, from: string, to: string): Promise<void> {
    await tx.rows(`UPDATE tokens SET steward_user_id = $2 WHERE steward_user_id = $1`, [from, to]);
    await tx.rows(`UPDATE services SET steward_user_id = $2 WHERE steward_user_id = $1`, [from, to]);
    await tx.rows(`UPDATE access_review_items SET reviewer_user_id = $2 WHERE reviewer_user_id = $1 AND status = 'pending'`, [from, to]);
  }
}

const defaultStewardKey = (createdBy: string): string => `default-steward:${createdBy}`;
