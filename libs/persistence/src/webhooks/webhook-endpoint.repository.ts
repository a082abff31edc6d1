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

  async markDeleted(tx: Tx, id: string): Promise<void> {
    await tx.rows(`UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1`, [id]);
  }
}
