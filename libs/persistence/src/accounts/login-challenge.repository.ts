import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/** A log-in whose password was right and whose second factor is still owed. */
export interface LoginChallenge {
  id: string;
  userId: string;
  attempts: number;
  webauthnChallenge: string | null;
  expiresAt: Date;
}

type ChallengeRecord = { id: string; user_id: string; attempts: number; webauthn_challenge: string | null; expires_at: Date };

const toChallenge = (r: ChallengeRecord): LoginChallenge => ({
  id: r.id,
  userId: r.user_id,
  attempts: r.attempts,
  webauthnChallenge: r.webauthn_challenge,
  expiresAt: r.expires_at,
});

/** Pending second-factor checks of log-ins; only the SHA-256 of an mfaToken is stored. */
@Injectable()
export class LoginChallengeRepository {
  async insert(tx: Tx, c: { id: string; userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await tx.rows(`INSERT INTO login_challenges (tenant_id, id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      tx.tenantId,
      c.id,
      c.userId,
      c.tokenHash,
      c.expiresAt,
    ]);
  }

  /** In a system transaction (the resolver is SECURITY DEFINER): the tenant of an unexpired challenge. */
  async tenantOf(tx: Tx, tokenHash: string): Promise<string | null> {
    const row = await tx.one<{ tenant_id: string | null }>(`SELECT custos_resolve_login_challenge($1) AS tenant_id`, [tokenHash]);
    return row?.tenant_id ?? null;
  }

  /** The unexpired challenge, locked until the transaction ends: attempts on one challenge run one at a time. */
  async lock(tx: Tx, tokenHash: string): Promise<LoginChallenge | null> {
    const row = await tx.one<ChallengeRecord>(
      `SELECT id, user_id, attempts, webauthn_challenge, expires_at FROM login_challenges WHERE token_hash = $1 AND expires_at > now() FOR UPDATE`,
      [tokenHash],
    );
    return row ? toChallenge(row) : null;
  }

  async countAttempt(tx: Tx, id: string): Promise<void> {
    await tx.rows(`UPDATE login_challenges SET attempts = attempts + 1 WHERE id = $1`, [id]);
  }

  async setWebauthnChallenge(tx: Tx, id: string, challenge: string): Promise<void> {
    await tx.rows(`UPDATE login_challenges SET webauthn_challenge = $2 WHERE id = $1`, [id, challenge]);
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.rows(`DELETE FROM login_challenges WHERE id = $1`, [id]);
  }
}
