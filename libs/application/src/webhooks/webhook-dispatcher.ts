import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecretBox, signWebhook } from '@custos/crypto';
import { nextRetryDelayMs } from '@custos/domain';
import { Database } from '@custos/persistence';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { isDelivered, postWebhook, type AttemptOutcome } from './webhook-sender';

/** A delivery claimed for one attempt, with what sending it needs. */
interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  message_id: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  attempts: number;
  last_attempt_at: Date;
  url: string;
  secret_sealed: string;
}

export interface DispatchResult {
  attempted: number;
  delivered: number;
  failed: number;
}

export interface DispatchOptions {
  /** Deliveries claimed per tenant at a time. */
  batchSize: number;
  /** Attempts in flight per tenant, and tenants served at once. */
  concurrency: number;
  tenantConcurrency: number;
  /**
   * A tick stops claiming after this long (attempts in flight still finish, within the timeout), so the
   * other jobs of the maintenance queue, which runs one job at a time, get their turn.
   */
  budgetMs: number;
}

const DEFAULTS: DispatchOptions = { batchSize: 50, concurrency: 8, tenantConcurrency: 4, budgetMs: 5_000 };

/**
 * Sends due webhook deliveries. Each attempt is claimed first, in its own committed transaction: the
 * claim counts the attempt and pushes next_attempt_at past a lease (longer than an attempt can take),
 * under FOR UPDATE SKIP LOCKED, so two workers never send the same attempt, and a worker that dies
 * mid-send only delays the delivery until its lease ends. The outcome is then recorded: 2xx delivered;
 * otherwise retried after an exponential, jittered backoff, or failed once the attempts are used up.
 * Delivery is at least once: receivers dedupe on webhook-id.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  async dispatch(options: Partial<DispatchOptions> = {}): Promise<DispatchResult> {
    const o = { ...DEFAULTS, ...options };
    const result: DispatchResult = { attempted: 0, delivered: 0, failed: 0 };
    const deadline = Date.now() + o.budgetMs;
    for (;;) {
      const tenants = await this.db.system((tx) => tx.rows<{ t: string }>(`SELECT custos_tenants_with_due_webhooks(1000) AS t`));
      let anyFull = false;
      await eachBounded(tenants, o.tenantConcurrency, async ({ t }) => {
        if (Date.now() > deadline) return;
        const claimed = await this.claim(t, o.batchSize);
        if (claimed.length >= o.batchSize) anyFull = true;
        await eachBounded(claimed, o.concurrency, async (delivery) => {
          const outcome = await this.attempt(t, delivery);
          result.attempted++;
          if (outcome === 'delivered') result.delivered++;
          if (outcome === 'failed') result.failed++;
        });
      });
      if (!anyFull || Date.now() > deadline) return result;
    }
  }

  private lease(): number {
    return this.settings.timeoutMs + 30_000;
  }

  /**
   * Claims due deliveries of a tenant for one attempt each. A delivery whose endpoint was deleted by a
   * transaction that could not see it yet is cancelled here instead of sent.
   */
  private claim(tenantId: string, batchSize: number): Promise<ClaimedDelivery[]> {
    return this.db.tenant(tenantId, async (tx) => {
      const rows = await tx.rows<ClaimedDelivery & { status: string }>(
        // MATERIALIZED: the locked set is chosen once. As an IN (subquery) the planner may rescan it,
        // and every rescan can skip and lock other rows, claiming more than the batch.
        `WITH due AS MATERIALIZED (
           SELECT id FROM webhook_deliveries
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
         )
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + CASE WHEN w.deleted_at IS NULL THEN 1 ELSE 0 END,
                status = CASE WHEN w.deleted_at IS NULL THEN d.status ELSE 'cancelled' END,
                last_attempt_at = CASE WHEN w.deleted_at IS NULL THEN now() ELSE d.last_attempt_at END,
                next_attempt_at = now() + $2 * interval '1 millisecond'
           FROM due, webhook_endpoints w
          WHERE d.id = due.id AND w.tenant_id = d.tenant_id AND w.id = d.endpoint_id
        RETURNING d.id, d.endpoint_id, d.message_id, d.payload, d.attempts, d.last_attempt_at, d.status, w.url, w.secret_sealed`,
        [batchSize, this.lease()],
      );
      return rows.filter((r) => r.status === 'pending');
    });
  }

  private async attempt(tenantId: string, d: ClaimedDelivery): Promise<'delivered' | 'retry' | 'failed'> {
    const outcome = await this.send(tenantId, d).catch((error: unknown): AttemptOutcome => {
      this.logger.error({ err: error, deliveryId: d.id }, 'webhook not sent');
      return { error: error instanceof Error ? error.message : 'the webhook could not be sent', durationMs: 0 };
    });
    const delivered = isDelivered(outcome);
    const retryInMs = delivered
      ? null
      : nextRetryDelayMs(d.attempts, { baseMs: this.settings.retryBaseMs, maxAttempts: this.settings.maxAttempts });
    const entry = {
      at: d.last_attempt_at.toISOString(),
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      durationMs: outcome.durationMs,
    };
    // Only the claim that made this attempt may record it (a lease that ran out was claimed again);
    // a delivery cancelled meanwhile keeps its status but still logs the attempt.
    await this.db.tenant(tenantId, (tx) =>
      tx.rows(
        `UPDATE webhook_deliveries
            SET status = CASE WHEN status <> 'pending' THEN status
                              WHEN $3 THEN 'delivered' WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = CASE WHEN status = 'pending' AND NOT $3 AND $4::bigint IS NOT NULL
                                       THEN now() + $4::bigint * interval '1 millisecond' ELSE next_attempt_at END,
                delivered_at = CASE WHEN status = 'pending' AND $3 THEN now() ELSE delivered_at END,
                last_status = $5, last_error = $6,
                attempt_log = attempt_log || jsonb_build_array($7::jsonb)
          WHERE id = $1 AND attempts = $2`,
        [d.id, d.attempts, delivered, retryInMs, outcome.status ?? null, outcome.error ?? null, JSON.stringify(entry)],
      ),
    );
    return delivered ? 'delivered' : retryInMs === null ? 'failed' : 'retry';
  }

  private async send(tenantId: string, d: ClaimedDelivery): Promise<AttemptOutcome> {
    let secret: string;
    try {
      secret = this.box.open(WEBHOOK_SECRET_PURPOSE, webhookSecretContext(tenantId, d.endpoint_id), d.secret_sealed);
    } catch {
      // Sealed under another CUSTOS_MASTER_KEY, or altered: the attempt fails and says why, without detail.
      throw new Error('the endpoint signing secret could not be opened');
    }
    // Standard Webhooks field order; the stored jsonb does not keep it.
    const body = JSON.stringify({ type: d.payload.type, timestamp: d.payload.timestamp, data: d.payload.data });
    return postWebhook(d.url, { ...signWebhook(secret, d.message_id, body) }, body, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivateUrls: this.settings.allowPrivateUrls,
    });
  }
}

/** Runs work over items, at most `limit` at once; every item runs, then the first error is thrown. */
async function eachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (errors.length > 0) throw errors[0];
}
