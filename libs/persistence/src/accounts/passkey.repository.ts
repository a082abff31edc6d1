import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/** The device kinds WebAuthn names: bound to one device, or synced between a person's devices. */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/** A registered authenticator of a person (WebAuthn credential). Its private key never leaves the authenticator. */
export interface Passkey {
  id: string;
  userId: string;
  /** base64url, as the browser names it. */
  credentialId: string;
  /** COSE-encoded public key. */
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: PasskeyDeviceType;
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export type NewPasskey = Omit<Passkey, 'createdAt' | 'lastUsedAt'>;

/** What a session waits for a WebAuthn answer to. */
export type SessionChallengePurpose = 'registration' | 'step_up';

type PasskeyRecord = {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  device_type: PasskeyDeviceType;
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
};

const COLUMNS = 'id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at';

const toPasskey = (r: PasskeyRecord): Passkey => ({
  id: r.id,
  userId: r.user_id,
  credentialId: r.credential_id,
  publicKey: new Uint8Array(r.public_key),
  counter: Number(r.counter),
  transports: r.transports,
  deviceType: r.device_type,
  backedUp: r.backed_up,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** People's passkeys, and the WebAuthn challenge a session waits for. Every method runs in the caller's tenant transaction. */
@Injectable()
export class PasskeyRepository {
  async insert(tx: Tx, p: NewPasskey): Promise<Passkey> {
    const rows = await tx.rows<PasskeyRecord>(
      `INSERT INTO webauthn_credentials (tenant_id, id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [tx.tenantId, p.id, p.userId, p.credentialId, Buffer.from(p.publicKey), p.counter, p.transports, p.deviceType, p.backedUp, p.name],
    );
    return toPasskey(rows[0]!);
  }

  /** The person's passkeys, oldest first. */
  async listOfUser(tx: Tx, userId: string): Promise<Passkey[]> {
    const rows = await tx.rows<PasskeyRecord>(`SELECT ${COLUMNS} FROM webauthn_credentials WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return rows.map(toPasskey);
  }

  async countOfUser(tx: Tx, userId: string): Promise<number> {
    const row = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM webauthn_credentials WHERE user_id = $1`, [userId]);
    return row?.n ?? 0;
  }

  /** Of the given people, those with at least one passkey. */
  async usersWithPasskeys(tx: Tx, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await tx.rows<{ user_id: string }>(`SELECT DISTINCT user_id FROM webauthn_credentials WHERE user_id = ANY($1::text[])`, [userIds]);
    return new Set(rows.map((r) => r.user_id));
  }

  async findOfUser(tx: Tx, userId: string, id: string): Promise<Passkey | null> {
    const row = await tx.one<PasskeyRecord>(`SELECT ${COLUMNS} FROM webauthn_credentials WHERE user_id = $1 AND id = $2`, [userId, id]);
    return row ? toPasskey(row) : null;
  }

  /** The person's passkey of this credential id, locked until the transaction ends (its counter is about to move). */
  async lockByCredentialId(tx: Tx, userId: string, credentialId: string): Promise<Passkey | null> {
    const row = await tx.one<PasskeyRecord>(`SELECT ${COLUMNS} FROM webauthn_credentials WHERE user_id = $1 AND credential_id = $2 FOR UPDATE`, [
      userId,
      credentialId,
    ]);
    return row ? toPasskey(row) : null;
  }

  async used(tx: Tx, id: string, counter: number, backedUp: boolean, at: Date): Promise<void> {
    await tx.rows(`UPDATE webauthn_credentials SET counter = $2, backed_up = $3, last_used_at = $4 WHERE id = $1`, [id, counter, backedUp, at]);
  }

  async rename(tx: Tx, userId: string, id: string, name: string): Promise<Passkey | null> {
    const row = await tx.one<PasskeyRecord>(`UPDATE webauthn_credentials SET name = $3 WHERE user_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [userId, id, name]);
    return row ? toPasskey(row) : null;
  }

  async delete(tx: Tx, userId: string, id: string): Promise<boolean> {
    const rows = await tx.rows<{ id: string }>(`DELETE FROM webauthn_credentials WHERE user_id = $1 AND id = $2 RETURNING id`, [userId, id]);
    return rows.length > 0;
  }

  /** The session now waits for an answer to this challenge (replacing any it waited for). */
  async setSessionChallenge(tx: Tx, sessionId: string, purpose: SessionChallengePurpose, challenge: string, expiresAt: Date): Promise<void> {
    await tx.rows(
      `UPDATE sessions SET webauthn_challenge = $2, webauthn_challenge_purpose = $3, webauthn_challenge_expires_at = $4 WHERE id = $1`,
      [sessionId, challenge, purpose, expiresAt],
    );
  }

  /**
   * Takes the session's unexpired challenge of this purpose, if any, and clears it: a challenge is
   * answered once, rightly or wrongly. Two answers at once: the row lock lets one of them have it.
   */
  async takeSessionChallenge(tx: Tx, sessionId: string, purpose: SessionChallengePurpose): Promise<string | null> {
    const row = await tx.one<{ challenge: string | null; purpose: string | null; expires_at: Date | null }>(
      `WITH old AS (SELECT webauthn_challenge AS challenge, webauthn_challenge_purpose AS purpose, webauthn_challenge_expires_at AS expires_at
                      FROM sessions WHERE id = $1 FOR UPDATE)
       UPDATE sessions s SET webauthn_challenge = NULL, webauthn_challenge_purpose = NULL, webauthn_challenge_expires_at = NULL
         FROM old WHERE s.id = $1
       RETURNING old.challenge, old.purpose, old.expires_at`,
      [sessionId],
    );
    if (!row?.challenge || row.purpose !== purpose || !row.expires_at || row.expires_at.getTime() <= Date.now()) return null;
    return row.challenge;
  }
}
