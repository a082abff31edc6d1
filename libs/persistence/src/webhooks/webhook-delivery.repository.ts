import { Injectable } from '@nestjs/common';
import type { WebhookDeliveryEventType, WebhookDeliveryStatus } from '@custos/contracts';
import type { Tx } from '../database/database';
import { DELIVERY_COLUMNS, NEW_DELIVERY_ID_SQL, NEW_MESSAGE_ID_SQL, toClaimedDelivery, toDeliveryView, type ClaimedDeliveryRow, type DeliveryRow } from './webhook-rows';
import type { ClaimedDelivery, WebhookDeliveryView } from './webhook-views';

/** A page of an endpoint's deliveries: newest first, before the keyset position when given. */
export interface DeliveryPageQuery {
  status?: WebhookDeliveryStatus | undefined;
  /** The last delivery of the previous page: its created_at (ISO) and id. */
  before?: { createdAt: string; id: string } | null | undefined;
  limit: number;
}

/** How one attempt ended, as the claim that made it records it. */
export interface AttemptRecord {
  id: string;
  /** The claim's attempt number: a claim whose lease ran out (claimed again since) records nothing. */
  attempts: number;
  delivered: boolean;
  /** When it failed: wait this long before the next attempt; null when the attempts are used up. */
  retryInMs: number | null;
  status: number | null;
  error: string | null;
  /** Appended to the delivery's attempt log. */
  entry: Record<string, unknown>;
}

/** A delivery written outside the audit outbox (the test ping), due at once, under a new message id. */
export interface NewWebhookDelivery {
  endpointId: string;
  eventType: WebhookDeliveryEventType;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** Webhook deliveries: the outbox the audit insert fills, and the dispatcher's claims on it. */
@Injectable()
export class WebhookDeliveryRepository {
  /** The endpoint's pending deliveries are cancelled (it was deleted or disabled); how many were. */
  cancelPending(tx: Tx, endpointId: string): Promise<number> {
    return tx.affected(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE endpoint_id = $1 AND status = 'pending'`, [endpointId]);
  }

  async insert(tx: Tx, delivery: NewWebhookDelivery): Promise<WebhookDeliveryView> {
    const row = await tx.one<DeliveryRow>(
      `INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_type, message_id, payload)
       VALUES ($1, ${NEW_DELIVERY_ID_SQL}, $2, $3, ${NEW_MESSAGE_ID_SQL}, $4) RETURNING ${DELIVERY_COLUMNS}`,
      [tx.tenantId, delivery.endpointId, delivery.eventType, JSON.stringify(delivery.payload)],
    );
    return toDeliveryView(row!);
  }

  /** One delivery of the endpoint, locked until the transaction ends (a re-send may cancel it). */
  async lockOne(tx: Tx, endpointId: string, id: string): Promise<WebhookDeliveryView | undefined> {
    const row = await tx.one<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1 AND id = $2 FOR UPDATE`,
      [endpointId, id],
    );
    return row ? toDeliveryView(row) : undefined;
  }

  /** The delivery stops being tried, if it still was; whether it was. */
  async cancel(tx: Tx, id: string): Promise<boolean> {
    return (await tx.affected(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = $1 AND status = 'pending'`, [id])) > 0;
  }

  /**
   * A new delivery of the same event: its type, payload and message id (receivers dedupe on the
   * webhook-id), due at once, naming the delivery it repeats. The payload is copied in the database.
   */
  async insertResend(tx: Tx, of: string): Promise<WebhookDeliveryView> {
    const row = await tx.one<DeliveryRow>(
      `INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_type, message_id, payload, resent_from_id)
       SELECT tenant_id, ${NEW_DELIVERY_ID_SQL}, endpoint_id, event_type, message_id, payload, id FROM webhook_deliveries WHERE id = $1
       RETURNING ${DELIVERY_COLUMNS}`,
      [of],
    );
    return toDeliveryView(row!);
  }

  /** Newest first, keyset-paged over (created_at, id): up to limit + 1 (one more tells there is a next page). */
  async page(tx: Tx, endpointId: string, query: DeliveryPageQuery): Promise<WebhookDeliveryView[]> {
    const params: unknown[] = [endpointId];
    const where = ['endpoint_id = $1'];
    if (query.status) {
      params.push(query.status);
      where.push(`status = $${params.length}`);
    }
    if (query.before) {
      params.push(query.before.createdAt, query.before.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    const rows = await tx.rows<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${query.limit + 1}`,
      params,
    );
    return rows.map(toDeliveryView);
  }

  /** In a system transaction: tenants with deliveries due now. */
  async tenantsWithDue(tx: Tx): Promise<string[]> {
    const rows = await tx.rows<{ t: string }>(`SELECT custos_tenants_with_due_webhooks(1000) AS t`);
    return rows.map((r) => r.t);
  }

  /**
   * Claims due deliveries of the tenant for one attempt each: counts the attempt and pushes
   * next_attempt_at past the lease, under FOR UPDATE SKIP LOCKED, so two dispatchers never claim the
   * same attempt. A delivery whose endpoint was deleted or disabled by a transaction that could not see
   * it yet is cancelled here instead, and not returned. The secret rotated out comes along while it
   * still signs.
   */
  async claimDue(tx: Tx, batchSize: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await tx.rows<ClaimedDeliveryRow>(
      // MATERIALIZED: the locked set is chosen once. As an IN (subquery) the planner may rescan it,
      // and every rescan can skip and lock other rows, claiming more than the batch.
      `WITH due AS MATERIALIZED (
         SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE webhook_deliveries d
          SET attempts = d.attempts + CASE WHEN w.live THEN 1 ELSE 0 END,
              status = CASE WHEN w.live THEN d.status ELSE 'cancelled' END,
              last_attempt_at = CASE WHEN w.live THEN now() ELSE d.last_attempt_at END,
              next_attempt_at = now() + $2 * interval '1 millisecond'
         FROM due, (SELECT tenant_id, id, url, secret_sealed, deleted_at IS NULL AND disabled_at IS NULL AS live,
                           CASE WHEN previous_secret_expires_at > now() THEN previous_secret_sealed END AS previous_secret_sealed
                      FROM webhook_endpoints) w
        WHERE d.id = due.id AND w.tenant_id = d.tenant_id AND w.id = d.endpoint_id
      RETURNING d.id, d.endpoint_id, d.message_id, d.payload, d.attempts, d.last_attempt_at, d.status, w.url, w.secret_sealed,
                w.previous_secret_sealed`,
      [batchSize, leaseMs],
    );
    return rows.filter((r) => r.status === 'pending').map(toClaimedDelivery);
  }

  /**
   * Records an attempt's outcome: delivered, retried later, or failed. Only the claim that made this
   * attempt may record it (a lease that ran out was claimed again); a delivery cancelled meanwhile keeps
   * its status but still logs the attempt.
   */
  async recordAttempt(tx: Tx, attempt: AttemptRecord): Promise<void> {
    await tx.rows(
      `UPDATE webhook_deliveries
          SET status = CASE WHEN status <> 'pending' THEN status
                            WHEN $3 THEN 'delivered' WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = CASE WHEN status = 'pending' AND NOT $3 AND $4::bigint IS NOT NULL
                                     THEN now() + $4::bigint * interval '1 millisecond' ELSE next_attempt_at END,
              delivered_at = CASE WHEN status = 'pending' AND $3 THEN now() ELSE delivered_at END,
              last_status = $5, last_error = $6,
              attempt_log = attempt_log || jsonb_build_array($7::jsonb)
        WHERE id = $1 AND attempts = $2`,
      [attempt.id, attempt.attempts, attempt.delivered, attempt.retryInMs, attempt.status, attempt.error, JSON.stringify(attempt.entry)],
    );
  }
}
