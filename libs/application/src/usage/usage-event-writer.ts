import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { UsageEventBatch, alertSignalOf, type UsageEvent } from '@custos/domain';
import { AlertSignalRepository, Database, UsageEventRepository, isTenantIdShape } from '@custos/persistence';
import { USAGE_SETTINGS, type UsageSettings } from './usage-settings';

/** What writing usage events asks of the database. */
export type UsageEventWrites = Pick<UsageEventRepository, 'insertBatch' | 'ensurePartitions' | 'failureOf'>;
/** Where a written batch leaves its summary for the alert rules (docs/alerts.md). */
export type AlertSignalWrites = Pick<AlertSignalRepository, 'insert'>;

/** At shutdown, tries this often (this far apart) to write what is left before giving it up. */
const SHUTDOWN_ATTEMPTS = 3;
const SHUTDOWN_RETRY_MS = 500;

/**
 * Usage events off the hot path: `record` only buffers, in columns per tenant (UsageEventBatch), and
 * every flush interval the buffer is written per tenant, at most `batchMax` events per statement
 * (usage_events with its rollups), each batch with its signal for the alert rules (alertSignalOf). So after a crash at most one flush interval of events is lost; a
 * graceful shutdown writes them all first.
 *
 * While the database is unreachable events wait and are tried again at the next flush, up to
 * `bufferMax` held; past it the newest are dropped and counted (`droppedEvents`): the ones held keep
 * their place, and memory stays bounded however long the outage. An event the database refuses (a
 * value the schema does not take) is set apart from its batch by halving and dropped, counted too, so
 * it never blocks the others. A day without its partition yet (the worker makes them a week ahead) is
 * made here, then the batch is written.
 */
@Injectable()
export class UsageEventWriter implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageEventWriter.name);
  /** Per tenant, oldest first. */
  private pending = new Map<string, UsageEventBatch>();
  private pendingCount = 0;
  /** The events the running flush took and has not yet written, dropped or put back. */
  private inFlight: { count: number; oldest: number } = { count: 0, oldest: Infinity };
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unavailableSince: number | null = null;
  /** Events were dropped for want of room since the buffer last emptied (logged once). */
  private full = false;
  private dropped = 0;
  private written = 0;

  constructor(
    private readonly db: Database,
    @Inject(USAGE_SETTINGS) private readonly settings: UsageSettings,
    @Inject(UsageEventRepository) private readonly events: UsageEventWrites,
    @Inject(AlertSignalRepository) private readonly signals: AlertSignalWrites,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.flushInBackground(), this.settings.flushIntervalMs);
    this.timer.unref();
  }

  /** Before, not on, shutdown: the database pool closes in the shutdown phase. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let attempt = 1; ; attempt++) {
      await this.flush();
      if (this.pendingCount === 0) return;
      if (attempt === SHUTDOWN_ATTEMPTS) break;
      await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_RETRY_MS));
    }
    const lost = this.pendingCount;
    this.pending = new Map();
    this.pendingCount = 0;
    this.dropped += lost;
    this.logger.error({ lost }, 'usage events lost at shutdown: the database stayed unreachable');
  }

  /** Whether events are kept at all (not CUSTOS_USAGE_EVENTS=off). */
  get recording(): boolean {
    return !this.settings.off;
  }

  /** Buffers the event; never waits on I/O. */
  record(event: UsageEvent): void {
    if (this.settings.off) return;
    if (this.buffered >= this.settings.bufferMax) {
      if (!this.full) this.logger.error({ bufferMax: this.settings.bufferMax }, 'usage buffer full: new usage events are dropped until the database takes them');
      this.full = true;
      this.dropped += 1;
      return;
    }
    let batch = this.pending.get(event.tenantId);
    if (!batch) {
      // Checked once per tenant and flush, not per event.
      if (!isTenantIdShape(event.tenantId)) {
        this.dropped += 1;
        return;
      }
      this.pending.set(event.tenantId, (batch = UsageEventBatch.empty(event.tenantId)));
    }
    batch.push(event);
    this.pendingCount += 1;
    if (batch.length >= this.settings.batchMax && !this.flushing) this.flushInBackground();
  }

  /** Events held, waiting or being written. */
  get buffered(): number {
    return this.pendingCount + this.inFlight.count;
  }

  /** Events given up since start: over the buffer's bound, refused by the database, or left at shutdown. */
  get droppedEvents(): number {
    return this.dropped;
  }

  get writtenEvents(): number {
    return this.written;
  }

  /** Age of the oldest event held, in seconds; 0 when none is. Read at scrape time: one pass over the buffer. */
  lagSeconds(now = Date.now()): number {
    const oldest = Math.min(this.inFlight.oldest, oldestOf(this.pending.values()));
    return oldest === Infinity ? 0 : Math.max(0, (now - oldest) / 1000);
  }

  /** Writes what is buffered (what the database cannot take now stays buffered); concurrent callers share one flush. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pendingCount === 0) return;
    this.flushing = this.writeBuffered().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private flushInBackground(): void {
    this.flush().catch((error: unknown) => this.logger.error({ err: error }, 'usage flush failed'));
  }

  private async writeBuffered(): Promise<void> {
    const taken = this.pending;
    this.inFlight = { count: this.pendingCount, oldest: oldestOf(taken.values()) };
    this.pending = new Map();
    this.pendingCount = 0;
    const kept: UsageEventBatch[] = [];
    try {
      for (const batch of taken.values()) {
        for (let i = 0; i < batch.length; i += this.settings.batchMax) {
          const chunk = batch.length <= this.settings.batchMax ? batch : batch.slice(i, i + this.settings.batchMax);
          // Once the database is found unreachable, the rest waits for the next flush untried.
          const waiting = kept.length > 0 ? chunk : await this.writeChunk(chunk, false);
          if (waiting) kept.push(waiting);
        }
      }
    } finally {
      this.putBack(kept);
      this.inFlight = { count: 0, oldest: Infinity };
    }
    if (kept.length > 0) return;
    this.full = false;
    if (this.unavailableSince !== null) {
      this.logger.log({ unreachableMs: Date.now() - this.unavailableSince }, 'usage events are written again');
      this.unavailableSince = null;
    }
  }

  /** What waits for the database goes back ahead of what was recorded meanwhile. */
  private putBack(waiting: readonly UsageEventBatch[]): void {
    if (waiting.length === 0) return;
    const recorded = this.pending;
    this.pending = new Map();
    this.pendingCount = 0;
    for (const batch of [...waiting, ...recorded.values()]) {
      const earlier = this.pending.get(batch.tenantId);
      this.pending.set(batch.tenantId, earlier ? earlier.concat(batch) : batch);
      this.pendingCount += batch.length;
    }
  }

  /** Writes the chunk, or sets apart what the database refuses; returns what must wait for the database. */
  private async writeChunk(chunk: UsageEventBatch, partitionsMade: boolean): Promise<UsageEventBatch | null> {
    try {
      // The alert rules' summary goes with the events, in their transaction: no batch escapes the rules.
      await this.db.tenant(chunk.tenantId, async (tx) => {
        await this.events.insertBatch(tx, chunk);
        const signal = alertSignalOf(chunk);
        if (signal) await this.signals.insert(tx, signal);
      });
      this.written += chunk.length;
      return null;
    } catch (error) {
      const failure = this.events.failureOf(error);
      if (failure === 'unavailable') return this.wait(chunk, error);
      if (failure === 'missing_partition' && !partitionsMade) {
        const made = await this.makePartitions(chunk);
        if (made === 'unavailable') return chunk;
        if (made === 'made') return this.writeChunk(chunk, true);
      }
      return this.setApart(chunk, error, partitionsMade);
    }
  }

  /** Halves a refused chunk until the events the database refuses are alone, and drops those. */
  private async setApart(chunk: UsageEventBatch, error: unknown, partitionsMade: boolean): Promise<UsageEventBatch | null> {
    if (chunk.length === 1) {
      this.dropped += 1;
      this.logger.warn({ err: error, tenantId: chunk.tenantId }, 'a usage event the database refuses was dropped');
      return null;
    }
    const half = Math.ceil(chunk.length / 2);
    const waiting = await this.writeChunk(chunk.slice(0, half), partitionsMade);
    if (waiting) return waiting.concat(chunk.slice(half));
    return this.writeChunk(chunk.slice(half), partitionsMade);
  }

  private async makePartitions(chunk: UsageEventBatch): Promise<'made' | 'refused' | 'unavailable'> {
    try {
      await this.db.system((tx) => this.events.ensurePartitions(tx, new Date(chunk.oldest()), new Date(chunk.newest())));
      return 'made';
    } catch (error) {
      if (this.events.failureOf(error) !== 'unavailable') return 'refused';
      this.wait(chunk, error);
      return 'unavailable';
    }
  }

  /** Once per outage in the log: events wait while it lasts. */
  private wait(chunk: UsageEventBatch, error: unknown): UsageEventBatch {
    if (this.unavailableSince === null) {
      this.unavailableSince = Date.now();
      this.logger.warn({ err: error, buffered: this.buffered }, 'usage events cannot be written now; they wait in the buffer');
    }
    return chunk;
  }
}

function oldestOf(batches: Iterable<UsageEventBatch>): number {
  let oldest = Infinity;
  for (const batch of batches) oldest = Math.min(oldest, batch.oldest());
  return oldest;
}
