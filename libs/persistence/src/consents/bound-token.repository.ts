import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import type { Tx } from '../database/database';
import { BOUND_TOKEN_COLUMNS, boundTokenOf, type BoundTokenRecord, type BoundTokenRow } from './consent-rows';

/** Tokens a consent's end still has to stop. */
const LIVE_STATUSES = `('active', 'rotating', 'suspended')`;

/** A live token bound to a consent, locked for the change that ends it. */
export interface LockedBoundToken {
  id: string;
  consentId: string;
  /** Its status before the change (active, rotating or suspended). */
  status: TokenStatus;
}

/**
 * SQL of the tokens bound to consents, as the consent feature changes them: revoked with a withdrawal,
 * expired when the window ends, listed with a consent or a data subject's request. Every method runs in
 * the caller's tenant transaction.
 */
@Injectable()
export class BoundTokenRepository {
  /** Every token ever bound to the consents, oldest first. */
  async boundTo(tx: Tx, consentIds: readonly string[]): Promise<BoundTokenRecord[]> {
    const rows = await tx.rows<BoundTokenRow>(
      `SELECT ${BOUND_TOKEN_COLUMNS} FROM tokens WHERE consent_id = ANY($1) ORDER BY created_at, id`,
      [consentIds],
    );
    return rows.map(boundTokenOf);
  }

  /** The live tokens bound to the consent, locked FOR UPDATE in id order. */
  async lockLive(tx: Tx, consentId: string): Promise<Array<LockedBoundToken & { lookupId: string }>> {
    const rows = await tx.rows<{ id: string; lookup_id: string; status: TokenStatus }>(
      `SELECT id, lookup_id, status FROM tokens WHERE consent_id = $1 AND status IN ${LIVE_STATUSES} ORDER BY id FOR UPDATE`,
      [consentId],
    );
    return rows.map((t) => ({ id: t.id, lookupId: t.lookup_id, consentId, status: t.status }));
  }

  /** Lookup ids of the live tokens bound to the consent (whose cached windows a renewal makes stale). */
  async liveTokens(tx: Tx, consentId: string): Promise<Array<{ id: string; lookupId: string }>> {
    const rows = await tx.rows<{ id: string; lookup_id: string }>(`SELECT id, lookup_id FROM tokens WHERE consent_id = $1 AND status IN ${LIVE_STATUSES}`, [consentId]);
    return rows.map((t) => ({ id: t.id, lookupId: t.lookup_id }));
  }

  async revoke(tx: Tx, ids: readonly string[], at: Date, by: string, reason: string): Promise<void> {
    await tx.rows(
      `UPDATE tokens SET status = 'revoked', revoked_at = $2, revoked_by = $3, revoked_reason = $4, updated_at = $2
        WHERE id = ANY($1)`,
      [ids, at, by, reason],
    );
  }

  /** Up to `limit` live tokens bound to any of the consents, locked FOR UPDATE in id order (the consent-end sweep). */
  async lockLiveOf(tx: Tx, consentIds: readonly string[], limit: number): Promise<LockedBoundToken[]> {
    const rows = await tx.rows<{ id: string; status: TokenStatus; consent_id: string }>(
      `SELECT id, status, consent_id FROM tokens WHERE consent_id = ANY($1) AND status IN ('active', 'rotating', 'suspended')
        ORDER BY id LIMIT $2 FOR UPDATE`,
      [consentIds, limit],
    );
    return rows.map((t) => ({ id: t.id, consentId: t.consent_id, status: t.status }));
  }

  async expire(tx: Tx, ids: readonly string[]): Promise<void> {
    await tx.rows(`UPDATE tokens SET status = 'expired', updated_at = now() WHERE id = ANY($1)`, [ids]);
  }
}
