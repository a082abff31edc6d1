import { Injectable } from '@nestjs/common';
import type { WebhookEventType } from '@custos/contracts';
import type { Tx } from '../database/database';
import { ENDPOINT_COLUMNS, toWebhookView, type EndpointRow } from './webhook-rows';
import type { WebhookView } from './webhook-views';

/** A new endpoint; its signing secret arrives sealed and is never read back by the api. */
export interface NewWebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  secretSealed: string;
  description: string | null;
  createdBy: string;
}

/** What an edit may change of an endpoint: only the fields given. */
export interface WebhookEndpointChanges {
  url?: string;
  events?: WebhookEventType[];
  description?: string | null;
  enabled?: boolean;
}

/** A rotation: the new secret, and until when the current one keeps signing too (null: not at all). */
export interface WebhookSecretRotation {
  secretSealed: string;
  previousSignsUntil: Date | null;
}

/** A tenant's webhook endpoints. Deleting one only marks it: its deliveries stay readable. */
@Injectable()
export class WebhookEndpointRepository {
  /** Creations and deletions of one tenant run one at a time, so the per-tenant cap holds. */
  async serialiseChanges(tx: Tx): Promise<void> {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended('custos:webhooks:' || $1, 0))`, [tx.tenantId]);
  }

  async countLive(tx: Tx): Promise<number> {
    const live = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE deleted_at IS NULL`);
    return live?.n ?? 0;
  }

  async insert(tx: Tx, endpoint: NewWebhookEndpoint): Promise<WebhookView> {
    const { id, url, events, secretSealed, description, createdBy } = endpoint;
    const row = await tx.one<EndpointRow>(
      `INSERT INTO webhook_endpoints (tenant_id, id, url, events, secret_sealed, description, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ENDPOINT_COLUMNS}`,
      [tx.tenantId, id, url, events, secretSealed, description, createdBy],
    );
    return toWebhookView(row!);
  }

  /** The live endpoints, newest first. */
  async listLive(tx: Tx): Promise<WebhookView[]> {
    const rows = await tx.rows<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC`,
    );
    return rows.map(toWebhookView);
  }

  /** Deleted endpoints too. */
  async findById(tx: Tx, id: string): Promise<WebhookView | undefined> {
    const row = await tx.one<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    return row ? toWebhookView(row) : undefined;
  }

  /** Deleted endpoints too; locked until the transaction ends, for a change that audits what it replaced. */
  async lockById(tx: Tx, id: string): Promise<WebhookView | undefined> {
    const row = await tx.one<EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 FOR UPDATE`, [id]);
    return row ? toWebhookView(row) : undefined;
  }

  async update(tx: Tx, id: string, changes: WebhookEndpointChanges): Promise<WebhookView> {
    const params: unknown[] = [id];
    const sets = ['updated_at = now()'];
    const set = (column: string, value: unknown, cast = '') => {
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    if (changes.url !== undefined) set('url', changes.url);
    if (changes.events !== undefined) set('events', changes.events);
    if (changes.description !== undefined) set('description', changes.description);
    if (changes.enabled !== undefined) {
      params.push(changes.enabled);
      sets.push(`disabled_at = CASE WHEN $${params.length}::boolean THEN NULL ELSE coalesce(disabled_at, now()) END`);
    }
    const row = await tx.one<EndpointRow>(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`, params);
    return toWebhookView(row!);
  }

  /**
   * The new secret replaces the current one, which becomes the previous secret until the given time
   * (or is dropped at once). A secret rotated out before is dropped either way: at most two sign.
   */
  async rotateSecret(tx: Tx, id: string, rotation: WebhookSecretRotation): Promise<WebhookView> {
    // The right-hand sides read the row as it was: the previous secret becomes the current one's value.
    const row = await tx.one<EndpointRow>(
      `UPDATE webhook_endpoints
          SET previous_secret_sealed = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret_sealed END,
              previous_secret_expires_at = $3::timestamptz,
              secret_sealed = $2,
              secret_rotated_at = now()
        WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, rotation.secretSealed, rotation.previousSignsUntil],
    );
    return toWebhookView(row!);
  }

  async markDeleted(tx: Tx, id: string): Promise<void> {
    await tx.rows(`UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1`, [id]);
  }
}
