import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, isWebhookEventType, type FieldError, type WebhookDeliveryStatus, type WebhookEventType } from '@custos/contracts';
import { generateWebhookSecret, SecretBox } from '@custos/crypto';
import { DomainError, newId } from '@custos/domain';
import { Database, WebhookDeliveryRepository, WebhookEndpointRepository, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { checkWebhookUrl } from './webhook-url';
import type { CreatedWebhook, WebhookDeliveryView, WebhookView } from './webhook-views';

export type WebhookEndpoints = Pick<WebhookEndpointRepository, 'serialiseChanges' | 'countLive' | 'insert' | 'listLive' | 'findById' | 'markDeleted'>;
export type WebhookDeliveryReads = Pick<WebhookDeliveryRepository, 'cancelPending' | 'page'>;

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
    @Inject(WebhookEndpointRepository) private readonly endpoints: WebhookEndpoints,
    @Inject(WebhookDeliveryRepository) private readonly webhookDeliveries: WebhookDeliveryReads,
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
      await this.endpoints.serialiseChanges(tx);
      if ((await this.endpoints.countLive(tx)) >= MAX_WEBHOOKS_PER_TENANT) {
        throw new DomainError(ErrorCode.CONFLICT, `A tenant can have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first.`);
      }
      const webhook = await this.endpoints.insert(tx, { id, url, events, secretSealed: sealed, description, createdBy: principal.id });
      await this.audit.record(tx, meta, {
        action: 'webhook.created',
        actor: actorOf(principal),
        target: { type: 'webhook', id },
        data: { url: auditedUrl(url), events },
      });
      return { webhook, secret };
    });
  }

  /** The live endpoints, newest first (at most MAX_WEBHOOKS_PER_TENANT, so one page). */
  async list(principal: Principal): Promise<WebhookView[]> {
    requireScope(principal, 'custos:webhooks:read');
    return this.db.tenant(principal.tenantId, (tx) => this.endpoints.listLive(tx));
  }

  /** Deleted endpoints too: their history stays readable. */
  async get(principal: Principal, id: string): Promise<WebhookView> {
    requireScope(principal, 'custos:webhooks:read');
    return this.db.tenant(principal.tenantId, (tx) => this.find(tx, id));
  }

  /** The endpoint gets nothing more: its pending deliveries are cancelled with it, in one transaction. */
  async delete(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:webhooks:write');
    await this.db.tenant(principal.tenantId, async (tx) => {
      await this.endpoints.serialiseChanges(tx);
      const endpoint = await this.find(tx, id);
      if (endpoint.deletedAt) throw new DomainError(ErrorCode.CONFLICT, 'The webhook is already deleted.');
      await this.endpoints.markDeleted(tx, id);
      const cancelled = await this.webhookDeliveries.cancelPending(tx, id);
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
      return this.webhookDeliveries.page(tx, endpointId, {
        status: filter.status,
        before: cursor ? { createdAt: cursor.c, id: cursor.i } : null,
        limit: filter.limit,
      });
    });
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
    };
  }

  private async find(tx: Tx, id: string): Promise<WebhookView> {
    const endpoint = await this.endpoints.findById(tx, id);
    if (!endpoint) throw DomainError.notFound('The webhook');
    return endpoint;
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
