import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AlertEvaluator, WebhookDispatcher } from '@custos/application';
import { ALERT_SIGNAL_CHANNEL, PostgresNotificationChannel } from '@custos/persistence';
import type { CustosConfig } from '@custos/runtime';
import { WORKER_CONFIG } from './worker-config';

/** Counts and sightings past every window go this often. */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Evaluates the alert rules as soon as the usage writer commits a batch's signal (it NOTIFYs
 * ALERT_SIGNAL_CHANNEL), and every CUSTOS_ALERT_INTERVAL_MS (250 ms) in case a notification was missed.
 * Outside the job queues: an alert is due within two seconds of the use that raised it, and a queued job
 * would wait behind the maintenance queue's sweeps, which run one at a time. Each pass is a claim of the
 * waiting signals (AlertEvaluator), so several workers side by side never evaluate one signal twice. The
 * webhooks of raised alerts are sent at once, not at the next delivery tick.
 */
@Injectable()
export class AlertPump implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AlertPump.name);
  private readonly notifications: PostgresNotificationChannel;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A wake-up arrived during a pass: run another right after it. */
  private again = false;
  private stopped = false;
  private prunedAt = Date.now();
  private failing = false;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: CustosConfig,
    private readonly evaluator: AlertEvaluator,
    private readonly webhooks: WebhookDispatcher,
  ) {
    this.notifications = new PostgresNotificationChannel(config.DATABASE_URL, ALERT_SIGNAL_CHANNEL, 'custos-worker-alerts');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.CUSTOS_ALERT_INTERVAL_MS);
    this.timer.unref();
    this.notifications.subscribe({ message: () => this.wake(), subscribed: () => this.wake(), lost: () => undefined });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.notifications.close();
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pass(): Promise<void> {
    try {
      const { raised } = await this.evaluator.evaluatePending();
      if (raised > 0) await this.webhooks.dispatch({ budgetMs: 2_000 });
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        await this.evaluator.prune();
      }
      if (this.failing) this.logger.log('alert evaluation works again');
      this.failing = false;
    } catch (error) {
      // Once per outage: the signals wait in the database and are evaluated when it answers again.
      if (!this.failing) this.logger.error({ err: error }, 'alert evaluation failed; signals wait for the next pass');
      this.failing = true;
    }
  }
}
