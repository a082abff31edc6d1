import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, isWebhookEventType, type FieldError, type WebhookDeliveryStatus, type WebhookEventType } from '@custos/contracts';
import { generateWebhookSecret, SecretBox } from '@custos/crypto';
import { DomainError, newId } from '@custos/domain';
import { Database, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { checkWebhookUrl } from './webhook-url';
import {
  DELIVERY_COLUMNS,
  ENDPOINT_COLUMNS,
  toDeliveryView,
  toWebhookView,
  type CreatedWebhook,
  type DeliveryRow,
  type EndpointRow,
  type WebhookDeliveryView,
  type WebhookView,
} from './webhook-views';

/** Every event an endpoint receives fans out to one delivery per endpoint: keep the fan-out bounded. */
export const MAX_WEBHOOKS_PER_TENANT = 50;

export interface WebhookInput {
  url: string;
  events: string[];
  description?: string | null | undefined;
}

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

type Cursor = { c: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.c === 'string' && typeof v.i === 'string';

/**
 * The URL as the audit trail keeps it: without query string or fragment, which sometimes carry a
 * receiver's own credentials, and the audit trail is forever.
 */
function auditedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly box: SecretBox,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  /** The signing secret is in this answer only; it is stored sealed, for the worker to sign with. */
  async create(principal: Principal, input: WebhookInput, meta: RequestMeta): Promise<CreatedWebhook> {
    requireScope(principal, 'custos:webhooks:write');
    const { url, events } = await this.validate(input);
    const id = newId('whk');
    const secret = generateWebhookSecret();
    const sealed = this.box.seal(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(principal.tenantId, id), secret);
    const description = input.description ?? null;
    return this.db.tenant(principal.tenantId, async (tx) => {
      await this.serialiseEndpointChanges(tx);
      const live = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE deleted_at IS NULL`);
      if ((live?.n ?? 0) >= MAX_WEBHOOKS_PER_TENANT) {
        throw new DomainError(ErrorCode.CONFLICT, `A tenant can have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first.`);
      }
      const row = await tx.one<Omit<EndpointRow, 'secret_sealed'>>(
        `INSERT INTO webhook_endpoints (tenant_id, id, url, events, secret_sealed, description, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${ENDPOINT_COLUMNS}`,
        [principal.tenantId, id, url, events, sealed, description, principal.id],
      );
      await this.audit.record(tx, meta, {
        action: 'webhook.created',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { url: auditedUrl(url), events },
      });
      return { webhook: toWebhookView(row!), secret };
    });
  }

  /** The live endpoints, newest first (at most MAX_WEBHOOKS_PER_TENANT, so one page). */
  async list(principal: Principal): Promise<WebhookView[]> {
    requireScope(principal, 'custos:webhooks:read');
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      tx.rows<EndpointRow>(
        `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC`,
      ),
    );
    return rows.map(toWebhookView);
  }

  /** Deleted endpoints too: their history stays readable. */
  async get(principal: Principal, id: string): Promise<WebhookView> {
    requireScope(principal, 'custos:webhooks:read');
    return toWebhookView(await this.db.tenant(principal.tenantId, (tx) => this.find(tx, id)));
  }

  /** The endpoint gets nothing more: its pending deliveries are cancelled with it, in one transaction. */
  async delete(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:webhooks:write');
    await this.db.tenant(principal.tenantId, async (tx) => {
      await this.serialiseEndpointChanges(tx);
      const endpoint = await this.find(tx, id);
      if (endpoint.deleted_at) throw new DomainError(ErrorCode.CONFLICT, 'The webhook is already deleted.');
      await tx.rows(`UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1`, [id]);
      const cancelled = await tx.affected(
        `UPDATE webhook_deliveries SET status = 'cancelled' WHERE endpoint_id = $1 AND status = 'pending'`,
        [id],
      );
      await this.audit.record(tx, meta, {
        action: 'webhook.deleted',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { url: auditedUrl(endpoint.url), cancelledDeliveries: cancelled },
      });
    });
  }

  /** Newest first, keyset-paged over (created_at, id). */
  async deliveries(principal: Principal, endpointId: string, filter: DeliveryFilter): Promise<Page<WebhookDeliveryView>> {
    requireScope(principal, 'custos:webhooks:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const rows = await this.db.tenant(principal.tenantId, async (tx) => {
      await this.find(tx, endpointId);
      const params: unknown[] = [endpointId];
      const where = ['endpoint_id = $1'];
      if (filter.status) {
        params.push(filter.status);
        where.push(`status = $${params.length}`);
      }
      if (cursor) {
        params.push(cursor.c, cursor.i);
        where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      return tx.rows<DeliveryRow>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where.join(' AND ')}
          ORDER BY created_at DESC, id DESC LIMIT ${filter.limit + 1}`,
        params,
      );
    });
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDeliveryView),
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ c: last.created_at.toISOString(), i: last.id }) : null,
    };
  }

  private async find(tx: Tx, id: string): Promise<Omit<EndpointRow, 'secret_sealed'>> {
    const row = await tx.one<Omit<EndpointRow, 'secret_sealed'>>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound('The webhook');
    return row;
  }

  /** Creations and deletions of one tenant run one at a time, so the per-tenant cap holds. */
  private async serialiseEndpointChanges(tx: Tx): Promise<void> {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended('custos:webhooks:' || $1, 0))`, [tx.tenantId]);
  }

  private async validate(input: WebhookInput): Promise<{ url: string; events: WebhookEventType[] }> {
    const errors: FieldError[] = [];
    const events = [...new Set(input.events)];
    if (events.length === 0) errors.push({ field: 'events', message: 'must name at least one event' });
    events.forEach((event) => {
      if (!isWebhookEventType(event)) errors.push({ field: 'events', message: `${event} is not a webhook event` });
    });
    const checked = await checkWebhookUrl(input.url.trim(), this.settings.allowPrivateUrls);
    if ('problem' in checked) errors.push({ field: 'url', message: checked.problem });
    if (errors.length > 0 || !('url' in checked)) throw DomainError.validation(errors);
    return { url: checked.url, events: events.filter(isWebhookEventType) };
  }
}
