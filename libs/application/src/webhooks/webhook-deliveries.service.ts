import { Inject, Injectable } from '@nestjs/common';
import { WEBHOOK_TEST_EVENT, type WebhookDeliveryStatus } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { Database, WebhookDeliveryRepository, WebhookEndpointRepository } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { requireEnabledWebhook, requireWebhook } from './webhook-lookups';
import type { WebhookDeliveryView } from './webhook-views';

export type DeliveryEndpoints = Pick<WebhookEndpointRepository, 'findById' | 'lockById'>;
export type DeliveryStore = Pick<WebhookDeliveryRepository, 'page' | 'insert' | 'lockOne' | 'cancel' | 'insertResend'>;

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

type Cursor = { c: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.c === 'string' && typeof v.i === 'string';

/**
 * An endpoint's deliveries: reading them, sending a test event, re-sending one. Both writes only
 * queue a delivery, in the same transaction as their audit event; the worker sends it with the
 * others (signed, retried), so what the page shows is what the receiver got.
 */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(WebhookEndpointRepository) private readonly endpoints: DeliveryEndpoints,
    @Inject(WebhookDeliveryRepository) private readonly deliveries: DeliveryStore,
  ) {}

  /** Newest first, keyset-paged over (created_at, id). A deleted endpoint's deliveries stay readable. */
  async page(principal: Principal, endpointId: string, filter: DeliveryFilter): Promise<Page<WebhookDeliveryView>> {
    requireScope(principal, 'custos:webhooks:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const rows = await this.db.tenant(principal.tenantId, async (tx) => {
      requireWebhook(await this.endpoints.findById(tx, endpointId));
      return this.deliveries.page(tx, endpointId, {
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

  /**
   * A `webhook.test` event for this endpoint only, whatever it subscribes to, due at once. Its payload
   * has the shape of every other event's: `data` holds `tokenId` (null), `action`, `actor` and the
   * endpoint's id. The endpoint row stays locked until commit, so a concurrent disable cancels it.
   */
  async sendTest(principal: Principal, endpointId: string, meta: RequestMeta): Promise<WebhookDeliveryView> {
    requireScope(principal, 'custos:webhooks:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      requireEnabledWebhook(await this.endpoints.lockById(tx, endpointId));
      const actor = actorOf(principal);
      const delivery = await this.deliveries.insert(tx, {
        endpointId,
        eventType: WEBHOOK_TEST_EVENT,
        payload: {
          type: WEBHOOK_TEST_EVENT,
          timestamp: new Date().toISOString(),
          data: { tokenId: null, action: 'webhook.test_sent', actor, webhookId: endpointId },
        },
      });
      await this.audit.record(tx, meta, {
        action: 'webhook.test_sent',
        actor,
        target: { type: 'webhook', id: endpointId },
        data: { deliveryId: delivery.id, messageId: delivery.messageId },
      });
      return delivery;
    });
  }

  /**
   * The same event again, as a new delivery due at once with attempts of its own: same type, payload
   * and webhook-id (a receiver that already took it can tell). A delivery still pending is cancelled
   * with it, so the event is not retried on two schedules.
   */
  async resend(principal: Principal, endpointId: string, deliveryId: string, meta: RequestMeta): Promise<WebhookDeliveryView> {
    requireScope(principal, 'custos:webhooks:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      requireEnabledWebhook(await this.endpoints.lockById(tx, endpointId));
      const original = await this.deliveries.lockOne(tx, endpointId, deliveryId);
      if (!original) throw DomainError.notFound('The delivery');
      const superseded = original.status === 'pending' && (await this.deliveries.cancel(tx, original.id));
      const delivery = await this.deliveries.insertResend(tx, original.id);
      await this.audit.record(tx, meta, {
        action: 'webhook.delivery_resent',
        actor: actorOf(principal),
        target: { type: 'webhook', id: endpointId },
        data: {
          deliveryId: delivery.id,
          resentFromId: original.id,
          eventType: original.eventType,
          messageId: original.messageId,
          originalStatus: original.status,
          cancelledOriginal: superseded,
        },
      });
      return delivery;
    });
  }
}
