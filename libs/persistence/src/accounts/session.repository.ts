import { Injectable } from '@nestjs/common';
import type { Role } from '@custos/contracts';
import type { Tx } from '../database/database';

/** A live session as its cookie resolves: whose it is and the role it acts with. */
export interface ResolvedSession {
  tenantId: string;
  sessionId: string;
  userId: string;
  email: string;
  role: Role;
}

/** Dashboard sessions; only the SHA-256 of a session token is ever stored. */
@Injectable()
export class SessionRepository {
  async insert(tx: Tx, session: { id: string; userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await tx.rows(
      `INSERT INTO sessions (tenant_id, id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [tx.tenantId, session.id, session.userId, session.tokenHash, session.expiresAt],
    );
  }

  async delete(tx: Tx, sessionId: string): Promise<void> {
    await tx.rows(`DELETE FROM sessions WHERE id = $1`, [sessionId]);
  }

  /** In a system transaction (the resolver is SECURITY DEFINER): the unexpired session of this token hash, if any. */
  async resolve(tx: Tx, tokenHash: string): Promise<ResolvedSession | null> {
    const row = await tx.one<{ tenant_id: string; session_id: string; user_id: string; email: string; role: Role }>(
      `SELECT tenant_id, session_id, user_id, email, role FROM custos_resolve_session($1)`,
      [tokenHash],
    );
    return row ? { tenantId: row.tenant_id, sessionId: row.session_id, userId: row.user_id, email: row.email, role: row.role } : null;
  }
}
