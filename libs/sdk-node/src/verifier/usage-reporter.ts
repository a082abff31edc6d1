import type { VerifyCode } from '@custos/contracts';
import { type CustosEndpoint, jsonPost, problemOf } from './custos-endpoint';
import { CustosRequestError } from './verify-types';

/** One use of a cached answer, as `POST /v1/usage/report` takes it. */
export interface ReportedUse {
  tokenId: string;
  at: string;
  code: VerifyCode;
  ip?: string;
  resource?: string;
  /** The scopes the verify asked for, so that access reviews see them used. */
  scopes?: string[];
  /** How many such uses, the last at `at` (1 when left out). */
  count?: number;
}

/** A use of a cached answer, as the verifier records it: what makes two uses the same one. */
export interface CachedUse {
  tokenId: string;
  code: VerifyCode;
  ip?: string | undefined;
  resource?: string | undefined;
  scopes?: readonly string[] | undefined;
}

/** A use waiting to be sent: its time kept as a number, written out only when a batch is sent. */
interface QueuedUse {
  key: string;
  use: CachedUse;
  count: number;
  /** The last of them, in ms since the epoch. */
  atMs: number;
}

/** The route takes at most this many uses per request. */
export const REPORT_BATCH_SIZE = 1000;

export interface UsageReporterOptions {
  intervalMs: number;
  /** Beyond this many unsent uses new ones are dropped (and counted): memory stays bounded in a long outage. */
  maxPending: number;
  onError: (error: unknown) => void;
}

/**
 * Reports the uses Custos did not see (verifies answered from cache) in batches, so its usage counts and
 * last-used stay true. Repeats of one use (same token, answer, address, resource and scopes) waiting to be
 * sent are counted on one entry, so a service verifying a hundred thousand times a second sends a few
 * entries a second, not as many. A batch leaves the queue only once Custos accepted it: an outage delays
 * uses, it does not lose them.
 */
export class UsageReporter {
  private readonly queue: QueuedUse[] = [];
  /** Entries not yet taken into a batch, by what they count: those in flight are never changed. */
  private readonly open = new Map<string, QueuedUse>();
  /**
   * Each token's open entry last counted on. A service mostly presents a token the same way again, so a
   * repeat is recognised by comparing its fields with that entry's, without building its key.
   */
  private readonly lastOfToken = new Map<string, QueuedUse>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private dropped = 0;
  private queuedUses = 0;

  constructor(
    private readonly endpoint: CustosEndpoint,
    private readonly options: UsageReporterOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.intervalMs);
    // Reporting alone must not keep a service's process alive.
    this.timer.unref();
  }

  /**
   * One more use (at `atMs`). A repeat of a waiting one only counts on it: this runs on every verify
   * answered from cache, so it builds nothing then, and not even the key for a repeat of the token's last use.
   */
  record(use: CachedUse, atMs: number): void {
    const last = this.lastOfToken.get(use.tokenId);
    if (last !== undefined && sameUse(last.use, use)) {
      last.count++;
      last.atMs = atMs;
      this.queuedUses++;
      return;
    }
    const key = keyOf(use);
    const counted = this.open.get(key);
    if (counted) {
      this.lastOfToken.set(use.tokenId, counted);
      counted.count++;
      counted.atMs = atMs;
      this.queuedUses++;
      return;
    }
    if (this.queue.length >= this.options.maxPending) {
      this.dropped++;
      return;
    }
    // A copy: the caller's scopes array may change after this.
    const entry: QueuedUse = { key, use: { ...use, scopes: use.scopes?.length ? [...use.scopes] : undefined }, count: 1, atMs };
    this.queue.push(entry);
    this.open.set(key, entry);
    this.lastOfToken.set(use.tokenId, entry);
    this.queuedUses++;
    if (this.queue.length >= REPORT_BATCH_SIZE && !this.flushing) void this.flush();
  }

  /** Uses not yet accepted by Custos. */
  get pending(): number {
    return this.queuedUses;
  }

  get droppedCount(): number {
    return this.dropped;
  }

  /** Sends every queued use, a batch at a time; stops at the first refused batch, which stays queued. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // New uses are only ever appended, so the batch is still the queue's head when the answer comes.
      const batch = this.queue.slice(0, REPORT_BATCH_SIZE);
      // From here on a repeat starts an entry of its own: this one may be in Custos's counts already.
      for (const entry of batch) {
        this.open.delete(entry.key);
        if (this.lastOfToken.get(entry.use.tokenId) === entry) this.lastOfToken.delete(entry.use.tokenId);
      }
      const uses = batch.reduce((sum, entry) => sum + entry.count, 0);
      try {
        const response = await this.endpoint.fetch(jsonPost(this.endpoint, '/v1/usage/report', { uses: batch.map(reportedUseOf) }));
        if (!response.ok) throw new CustosRequestError(response.status, await problemOf(response));
        await response.body?.cancel();
      } catch (error) {
        this.options.onError(error);
        if (!isRefusedForGood(error)) return;
        // Sent again it would be refused again, and hold back every use queued behind it.
        this.dropped += uses;
      }
      this.queue.splice(0, batch.length);
      this.queuedUses -= uses;
    }
  }
}

/** A 4xx other than a timeout or a rate limit: the batch itself is wrong, not the moment. */
function isRefusedForGood(error: unknown): boolean {
  return error instanceof CustosRequestError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

/** What keyOf tells apart, compared field by field: the same use by keyOf is the same use here. */
function sameUse(a: CachedUse, b: CachedUse): boolean {
  return a.code === b.code && a.ip === b.ip && a.resource === b.resource && sameScopes(a.scopes, b.scopes);
}

function sameScopes(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (a![i] !== b![i]) return false;
  return true;
}

function keyOf(use: CachedUse): string {
  return `${use.tokenId}\u0000${use.code}\u0000${use.ip ?? ''}\u0000${use.resource ?? ''}\u0000${use.scopes?.length ? use.scopes.join(' ') : ''}`;
}

function reportedUseOf({ use, count, atMs }: QueuedUse): ReportedUse {
  const reported: ReportedUse = { tokenId: use.tokenId, at: new Date(atMs).toISOString(), code: use.code, count };
  if (use.ip !== undefined) reported.ip = use.ip;
  if (use.resource !== undefined) reported.resource = use.resource;
  if (use.scopes !== undefined) reported.scopes = [...use.scopes];
  return reported;
}
