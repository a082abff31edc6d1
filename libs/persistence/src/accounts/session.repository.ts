import { Injectable } from '@nestjs/common';
import type { Role, SessionMethod, SessionRestriction } from '@custos/contracts';
import type { AuthPolicy } from '@custos/domain';
import type { Tx } from '../database/database';


/** A live session as its cookie resolves: whose it is, the role it acts with, and what decides its end and its step-up. */
export interface ResolvedSession {
  tenantId: string;
  sessionId: string;
  userId: string;
  email: string;
  role: Role;
  createdAt: Date;
  lastSeenAt: Date;
  mfaAt: Date | null;
  restriction: SessionRestriction | null;
  hasMfa: boolean;
  /** What the tenant set of its auth policy (authPolicyOf lays it over the defaults). */
  auth: Partial<AuthPolicy>;
}

export interface NewSession {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  method: SessionMethod;
  mfaAt: Date | null;
  restriction: SessionRestriction | null;
  device: string | null;
  ipPrefix: string | null;
  country: string | null;
}

/** A session as its person sees it in their list. */
export interface SessionRow {
  id: string;
  userId: string;
  method: SessionMethod;
  device: string | null;
  ipPrefix: string | null;
  country: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

type SessionRecord = {
  id: string;
  user_id: string;
  method: SessionMethod;
  device: string | null;
  ip_prefix: string | null;
  country: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
};

const toRow = (r: SessionRecord): SessionRow => ({
  id: r.id,
  userId: r.user_id,
  method: r.method,
  device: r.device,
  ipPrefix: r.ip_prefix,
  country: r.country,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
});

/** Dashboard sessions; only the SHA-256 of a session token is ever stored. */
@Injectable()
export class SessionRepository {
  async insert(tx: Tx, s: NewSession): Promise<void> {
    await tx.rows(
      `INSERT INTO sessions (tenant_id, id, user_id, token_hash, created_at, last_seen_at, expires_at, method, mfa_at, restriction, device, ip_prefix, country)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [tx.tenantId, s.id, s.userId, s.tokenHash, s.createdAt, s.expiresAt, s.method, s.mfaAt, s.restriction, s.device, s.ipPrefix, s.country],
    );
  }

  async delete(tx: Tx, sessionId: string): Promise<void> {
    await tx.rows(`DELETE FROM sessions WHERE id = $1`, [sessionId]);
  }

  /** Ends sessions of a person: all of them, or all but one; returns the ids ended. */
  async deleteOfUser(tx: Tx, userId: string, except: string | null = null): Promise<string[]> {
    const rows = await tx.rows<{ id: string }>(`DELETE FROM sessions WHERE user_id = $1 AND ($2::text IS NULL OR id <> $2) RETURNING id`, [userId, except]);
    return rows.map((r) => r.id);
  }

  /** The person's unexpired sessions, newest first. */
  async listOfUser(tx: Tx, userId: string): Promise<SessionRow[]> {
    const rows = await tx.rows<SessionRecord>(
      `SELECT id, user_id, method, device, ip_prefix, country, created_at, last_seen_at, expires_at
         FROM sessions WHERE user_id = $1 AND expires_at > now() ORDER BY created_at DESC, id DESC`,
      [userId],
    );
    return rows.map(toRow);
  }

  async findOfUser(tx: Tx, userId: string, sessionId: string): Promise<SessionRow | null> {
    const row = await tx.one<SessionRecord>(
      `SELECT id, user_id, method, device, ip_prefix, country, created_at, last_seen_at, expires_at FROM sessions WHERE user_id = $1 AND id = $2`,
      [userId, sessionId],
    );
    return row ? toRow(row) : null;
  }

  /** The countries the person signed in from before (their earlier sessions still on record). */
  async countriesOfUser(tx: Tx, userId: string, except: string): Promise<string[]> {
    const rows = await tx.rows<{ country: string }>(`SELECT DISTINCT country FROM sessions WHERE user_id = $1 AND id <> $2 AND country IS NOT NULL`, [userId, except]);
    return rows.map((r) => r.country);
  }

  async touch(tx: Tx, sessionId: string, at: Date): Promise<void> {
    await tx.rows(`UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [sessionId, at]);
  }

  async steppedUp(tx: Tx, sessionId: string, at: Date): Promise<void> {
    await tx.rows(`UPDATE sessions SET mfa_at = $2, last_seen_at = greatest(last_seen_at, $2) WHERE id = $1`, [sessionId, at]);
  }

  /** The restriction is lifted (the person enrolled, or changed their password); `restriction` names the one lifted. */
  async lift(tx: Tx, userId: string, restriction: SessionRestriction): Promise<void> {
    await tx.rows(`UPDATE sessions SET restriction = NULL WHERE user_id = $1 AND restriction = $2`, [userId, restriction]);
  }

  /** In a system transaction (the resolver is SECURITY DEFINER): the unexpired session of this token hash, if any. */
  async resolve(tx: Tx, tokenHash: string): Promise<ResolvedSession | null> {
    const row = await tx.one<{
      tenant_id: string;
      session_id: string;
      user_id: string;
      email: string;
      role: Role;
      created_at: Date;
      last_seen_at: Date;
      mfa_at: Date | null;
      restriction: SessionRestriction | null;
      has_mfa: boolean;
      auth: Partial<AuthPolicy>;
    }>(`SELECT * FROM custos_resolve_session($1)`, [tokenHash]);
    return row
      ? {
          tenantId: row.tenant_id,
          sessionId: row.session_id,
          userId: row.user_id,
          email: row.email,
          role: row.role,
          createdAt: row.created_at,
          lastSeenAt: row.last_seen_at,
          mfaAt: row.mfa_at,
          restriction: row.restriction,
          hasMfa: row.has_mfa,
          auth: row.auth,
        }
      : null;
  }
}
