import { Injectable } from '@nestjs/common';
import type { Role } from '@custos/contracts';
import type { Tx } from '../database/database';

/** An invitation to join the tenant; its link's token is known only by its SHA-256. */
export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  /** The actor who invited: a person's usr_… or a service key's tok_…. */
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedUserId: string | null;
  revokedAt: Date | null;
}

type InvitationRecord = {
  id: string;
  email: string;
  role: Role;
  invited_by: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  accepted_user_id: string | null;
  revoked_at: Date | null;
};

const COLUMNS = 'id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_user_id, revoked_at';
/** Neither accepted nor revoked (it may still have expired). */
const OPEN = 'accepted_at IS NULL AND revoked_at IS NULL';

const toRow = (r: InvitationRecord): InvitationRow => ({
  id: r.id,
  email: r.email,
  role: r.role,
  invitedBy: r.invited_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  acceptedUserId: r.accepted_user_id,
  revokedAt: r.revoked_at,
});

/** Invitations of a tenant: every method runs in the caller's tenant transaction, unless it says otherwise. */
@Injectable()
export class InvitationRepository {
  async insert(
    tx: Tx,
    i: { id: string; email: string; role: Role; tokenHash: string; invitedBy: string; createdAt: Date; expiresAt: Date },
  ): Promise<InvitationRow> {
    const row = await tx.one<InvitationRecord>(
      `INSERT INTO invitations (tenant_id, id, email, role, token_hash, invited_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [tx.tenantId, i.id, i.email.trim(), i.role, i.tokenHash, i.invitedBy, i.createdAt, i.expiresAt],
    );
    return toRow(row!);
  }

  /** Revokes the open invitations of an e-mail (whatever its case), expired ones too; returns them. */
  async revokeOpenFor(tx: Tx, email: string, at: Date): Promise<InvitationRow[]> {
    const rows = await tx.rows<InvitationRecord>(
      `UPDATE invitations SET revoked_at = $2 WHERE lower(email) = lower($1) AND ${OPEN} RETURNING ${COLUMNS}`,
      [email.trim(), at],
    );
    return rows.map(toRow);
  }

  /** Revokes one open invitation (expired or not); null when there is none open with this id. */
  async revoke(tx: Tx, id: string, at: Date): Promise<InvitationRow | null> {
    const row = await tx.one<InvitationRecord>(`UPDATE invitations SET revoked_at = $2 WHERE id = $1 AND ${OPEN} RETURNING ${COLUMNS}`, [id, at]);
    return row ? toRow(row) : null;
  }

  /** The invitations still waiting for an answer and not expired, newest first. */
  async listPending(tx: Tx, now: Date): Promise<InvitationRow[]> {
    const rows = await tx.rows<InvitationRecord>(
      `SELECT ${COLUMNS} FROM invitations WHERE ${OPEN} AND expires_at > $1 ORDER BY created_at DESC, id DESC`,
      [now],
    );
    return rows.map(toRow);
  }

  /** In a system transaction (the resolver is SECURITY DEFINER): the tenant of a pending, unexpired invitation. */
  async tenantOf(tx: Tx, tokenHash: string): Promise<string | null> {
    const row = await tx.one<{ tenant_id: string | null }>(`SELECT custos_resolve_invitation($1) AS tenant_id`, [tokenHash]);
    return row?.tenant_id ?? null;
  }

  /** The pending, unexpired invitation of this token hash; locked until the transaction ends when asked (acceptance). */
  async findPending(tx: Tx, tokenHash: string, options: { lock: boolean }): Promise<InvitationRow | null> {
    const row = await tx.one<InvitationRecord>(
      `SELECT ${COLUMNS} FROM invitations WHERE token_hash = $1 AND ${OPEN} AND expires_at > now()${options.lock ? ' FOR UPDATE' : ''}`,
      [tokenHash],
    );
    return row ? toRow(row) : null;
  }

  async markAccepted(tx: Tx, id: string, userId: string, at: Date): Promise<void> {
    await tx.rows(`UPDATE invitations SET accepted_at = $2, accepted_user_id = $3 WHERE id = $1`, [id, at, userId]);
  }
}
