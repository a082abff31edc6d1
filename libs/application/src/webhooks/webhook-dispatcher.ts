import { Inject, Injectable, Logger } from '@nestjs/common';
import { SecretBox, signWebhook } from '@custos/crypto';
import { nextRetryDelayMs } from '@custos/domain';
import { Database, WebhookDeliveryRepository, type ClaimedDelivery } from '@custos/persistence';
import { WEBHOOK_SECRET_PURPOSE, webhookSecretContext } from './webhook-secret';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings';
import { isDelivered, postWebhook, type AttemptOutcome } from './webhook-sender';

export type DeliveryClaims = Pick<WebhookDeliveryRepository, 'tenantsWithDue' | 'claimDue' | 'recordAttempt'>;

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
    @Inject(WebhookDeliveryRepository) private readonly deliveries: DeliveryClaims,
  ) {}

  async dispatch(options: Partial<DispatchOptions> = {}): Promise<DispatchResult> {
    const o = { ...DEFAULTS, ...options };
    const result: DispatchResult = { attempted: 0, delivered: 0, failed: 0 };
    const deadline = Date.now() + o.budgetMs;
    for (;;) {
      const tenants = await this.db.system((tx) => this.deliveries.tenantsWithDue(tx));
      let anyFull = false;
      await eachBounded(tenants, o.tenantConcurrency, async (t) => {
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
   * Claims due deliveries of a tenant for one attempt each. A delivery whose endpoint was deleted or
   * disabled by a transaction that could not see it yet is cancelled here instead of sent.
   */
  private claim(tenantId: string, batchSize: number): Promise<ClaimedDelivery[]> {
    return this.db.tenant(tenantId, (tx) => this.deliveries.claimDue(tx, batchSize, this.lease()));
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
      at: d.lastAttemptAt.toISOString(),
      ...(outcome.status === undefined ? {} : { status: outcome.status }),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      durationMs: outcome.durationMs,
    };
    // Only the claim that made this attempt may record it (a lease that ran out was claimed again);
    // a delivery cancelled meanwhile keeps its status but still logs the attempt.
    await this.db.tenant(tenantId, (tx) =>
      this.deliveries.recordAttempt(tx, {
        id: d.id,
        attempts: d.attempts,
        delivered,
        retryInMs,
        status: outcome.status ?? null,
        error: outcome.error ?? null,
        entry,
      }),
    );
    return delivered ? 'delivered' : retryInMs === null ? 'failed' : 'retry';
  }

  private async send(tenantId: string, d: ClaimedDelivery): Promise<AttemptOutcome> {
    const context = webhookSecretContext(tenantId, d.endpointId);
    let secrets: string[];
    try {
      // The current secret first, then the one rotated out while it still signs: one signature each.
      secrets = [d.secretSealed, ...(d.previousSecretSealed ? [d.previousSecretSealed] : [])].map((sealed) =>
        this.box.open(WEBHOOK_SECRET_PURPOSE, context, sealed),
      );
    } catch {
      // Sealed under another CUSTOS_MASTER_KEY, or altered: the attempt fails and says why, without detail.
      throw new Error('the endpoint signing secret could not be opened');
    }
    // Standard Webhooks field order; the stored jsonb does not keep it.
    const body = JSON.stringify({ type: d.payload.type, timestamp: d.payload.timestamp, data: d.payload.data });
    return postWebhook(d.url, { ...signWebhook(secrets, d.messageId, body) }, body, {
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
