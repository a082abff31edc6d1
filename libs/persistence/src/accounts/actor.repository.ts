import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/**
 * Who an id stored as an actor (created_by, revoked_by, requested_by, actor_id) names: a person of the
 * tenant, current or removed, by the e-mail their account had; or a service key, by the name it acts
 * under.
 */
export interface ActorRecord {
  id: string;
  kind: 'user' | 'service_key';
  /** A person's e-mail; null for a service key. */
  email: string | null;
  /** A service key's name to show (KEY_ACTOR_NAME); null for a person. */
  name: string | null;
  /** When the person's account was removed; null while it exists, and for service keys. */
  removedAt: Date | null;
}

/**
 * The name a service key acts under, over a token row `key` and its owning service `service` (LEFT
 * JOINed): the service's name, or the key's own when it belongs to no service. One expression for the
 * directory and for the snapshot service-key authentication reads.
 */
export const keyActorName = (key: string, service: string): string => `coalesce(${service}.name, ${key}.name)`;

interface ActorRow {
  id: string;
  email: string | null;
  key_name: string | null;
  removed_at: Date | null;
}

/** The people directory (migrations/…-add-people-directory.ts) and service keys, read together. */
@Injectable()
export class ActorRepository {
  /**
   * The actors of `ids` that the tenant knows, in one query however many ids (a page's worth): ids of no
   * one (a system actor's null, an unknown id) are left out.
   */
  async resolve(tx: Tx, ids: readonly string[]): Promise<ActorRecord[]> {
    if (ids.length === 0) return [];
    const rows = await tx.rows<ActorRow>(
      `SELECT r.id, p.email, p.removed_at, CASE WHEN k.id IS NOT NULL THEN ${keyActorName('k', 's')} END AS key_name
         FROM unnest($1::text[]) AS r(id)
         LEFT JOIN people p ON p.tenant_id = $2 AND p.id = r.id
         LEFT JOIN tokens k ON p.id IS NULL AND k.tenant_id = $2 AND k.id = r.id
         LEFT JOIN services s ON s.tenant_id = k.tenant_id AND s.id = k.owner_service_id
        WHERE p.id IS NOT NULL OR k.id IS NOT NULL`,
      [[...new Set(ids)], tx.tenantId],
    );
    return rows.map((row) =>
      row.email !== null
        ? { id: row.id, kind: 'user', email: row.email, name: null, removedAt: row.removed_at }
        : { id: row.id, kind: 'service_key', email: null, name: row.key_name, removedAt: null },
    );
  }
}
