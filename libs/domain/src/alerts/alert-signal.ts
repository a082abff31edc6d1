import type { UsageEventBatch } from '../usage/usage-event-batch';
import { USAGE_SPIKE_MIN_USES } from './alert-rules';

/** Counts are kept per bucket of this many seconds: fine enough for a one-minute window. */
export const ALERT_BUCKET_SECONDS = 10;
/** Distinct address hashes a signal carries per token: a token that meets more at once is past any sane threshold. */
export const SIGNAL_ADDRESSES_MAX = 256;
/** Distinct seconds with RATE_LIMITED answers a signal carries per token. */
const SIGNAL_RATE_LIMITED_MAX = 64;

/** Verify answers for a token that is no longer live: a leak, or a client left behind. */
export const DEAD_TOKEN_OUTCOMES: ReadonlySet<string> = new Set(['REVOKED', 'EXPIRED', 'SUSPENDED']);
/** Verify answers that find no token: someone guessing, or holding garbage. */
export const GUESS_OUTCOMES: ReadonlySet<string> = new Set(['MALFORMED', 'NOT_FOUND']);

/** [bucket start in epoch seconds, count] */
export type BucketCount = [number, number];

/** What the rules need to know of one token's uses in a written batch. */
export interface TokenUseSignal {
  tokenId: string;
  uses: BucketCount[];
  firstAt: number;
  lastAt: number;
  /** Answers REVOKED, EXPIRED or SUSPENDED. */
  dead: number;
  crossBorder: number;
  /** Presented over plain http. */
  plaintext: number;
  /** Distinct epoch seconds of RATE_LIMITED answers. */
  rateLimitedAt: number[];
  /** Distinct countries observed. */
  countries: string[];
  /** Distinct address hashes (keyed, never addresses). */
  addressHashes: string[];
}

/** MALFORMED and NOT_FOUND answers of one caller (`caller:<service key id>`) or one network (`network:<cidr>`). */
export interface FailureSignal {
  subject: string;
  counts: BucketCount[];
  firstAt: number;
  lastAt: number;
}

/**
 * A written batch of usage events as the alert rules read it: per token and per failing caller or
 * network, only what they count. The writer stores it beside the events, in their transaction
 * (alert_signals), for the worker's evaluator; the events themselves stay where they are, as evidence.
 */
export interface AlertSignal {
  from: number;
  to: number;
  tokens: TokenUseSignal[];
  failures: FailureSignal[];
}

/** The signal of a batch; null when the batch has nothing any rule reads (no token and no failure). */
export function alertSignalOf(batch: UsageEventBatch): AlertSignal | null {
  const c = batch.columns;
  const tokens = new Map<string, TokenAccumulator>();
  const failures = new Map<string, FailureAccumulator>();
  for (let i = 0; i < batch.length; i++) {
    const at = c.occurredAt[i]!;
    const tokenId = c.tokenId[i];
    const outcome = c.outcome[i]!;
    // An event a service reported for many cached verifies counts as all of them.
    const uses = c.uses[i] ?? 1;
    if (tokenId) {
      let t = tokens.get(tokenId);
      if (!t) tokens.set(tokenId, (t = new TokenAccumulator(tokenId, at)));
      t.add(at, outcome, c.crossBorder[i]!, c.transport[i] === 'http', c.country[i] ?? null, c.ipHash[i] ?? null, uses);
    } else if (c.kind[i] === 'verify' && GUESS_OUTCOMES.has(outcome)) {
      const caller = c.callerId[i];
      const network = c.ipPrefix[i];
      if (caller) failureOf(failures, `caller:${caller}`, at).add(at, uses);
      if (network) failureOf(failures, `network:${network}`, at).add(at, uses);
    }
  }
  if (tokens.size === 0 && failures.size === 0) return null;
  return {
    from: batch.oldest(),
    to: batch.newest(),
    tokens: [...tokens.values()].map((t) => t.signal()),
    failures: [...failures.values()].map((f) => f.signal()),
  };
}

/** The bucket an epoch-milliseconds time falls in, as epoch seconds. */
export function bucketOf(epochMs: number): number {
  const seconds = Math.floor(epochMs / 1000);
  return seconds - (seconds % ALERT_BUCKET_SECONDS);
}

function failureOf(failures: Map<string, FailureAccumulator>, subject: string, at: number): FailureAccumulator {
  let f = failures.get(subject);
  if (!f) failures.set(subject, (f = new FailureAccumulator(subject, at)));
  return f;
}

class Buckets {
  private readonly counts = new Map<number, number>();

  add(at: number, uses: number): void {
    const bucket = bucketOf(at);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + uses);
  }

  list(): BucketCount[] {
    return [...this.counts.entries()];
  }
}

class TokenAccumulator {
  private readonly uses = new Buckets();
  private lastAt: number;
  private dead = 0;
  private crossBorder = 0;
  private plaintext = 0;
  private readonly rateLimitedAt = new Set<number>();
  private readonly countries = new Set<string>();
  private readonly addressHashes = new Set<string>();

  constructor(
    private readonly tokenId: string,
    private firstAt: number,
  ) {
    this.lastAt = firstAt;
  }

  add(at: number, outcome: string, crossBorder: boolean, plaintext: boolean, country: string | null, addressHash: string | null, uses: number): void {
    this.uses.add(at, uses);
    if (at < this.firstAt) this.firstAt = at;
    if (at > this.lastAt) this.lastAt = at;
    if (DEAD_TOKEN_OUTCOMES.has(outcome)) this.dead += uses;
    if (crossBorder) this.crossBorder += uses;
    if (plaintext) this.plaintext += uses;
    if (outcome === 'RATE_LIMITED' && this.rateLimitedAt.size < SIGNAL_RATE_LIMITED_MAX) this.rateLimitedAt.add(Math.floor(at / 1000));
    if (country) this.countries.add(country);
    if (addressHash && this.addressHashes.size < SIGNAL_ADDRESSES_MAX) this.addressHashes.add(addressHash);
  }

  signal(): TokenUseSignal {
    return {
      tokenId: this.tokenId,
      uses: this.uses.list(),
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      dead: this.dead,
      crossBorder: this.crossBorder,
      plaintext: this.plaintext,
      rateLimitedAt: [...this.rateLimitedAt],
      countries: [...this.countries],
      addressHashes: [...this.addressHashes],
    };
  }
}

class FailureAccumulator {
  private readonly counts = new Buckets();
  private lastAt: number;

  constructor(
    private readonly subject: string,
    private firstAt: number,
  ) {
    this.lastAt = firstAt;
  }

  add(at: number, uses: number): void {
    this.counts.add(at, uses);
    if (at < this.firstAt) this.firstAt = at;
    if (at > this.lastAt) this.lastAt = at;
  }

  signal(): FailureSignal {
    return { subject: this.subject, counts: this.counts.list(), firstAt: this.firstAt, lastAt: this.lastAt };
  }
}

/** Signals evaluated together, as one: per token and per failing subject, their counts added up. */
export function mergeAlertSignals(signals: readonly AlertSignal[]): AlertSignal {
  const tokens = new Map<string, TokenUseSignal>();
  const failures = new Map<string, FailureSignal>();
  let from = Infinity;
  let to = -Infinity;
  for (const signal of signals) {
    from = Math.min(from, signal.from);
    to = Math.max(to, signal.to);
    for (const t of signal.tokens) {
      const seen = tokens.get(t.tokenId);
      tokens.set(t.tokenId, seen ? mergeTokenSignals(seen, t) : t);
    }
    for (const f of signal.failures) {
      const seen = failures.get(f.subject);
      failures.set(
        f.subject,
        seen ? { subject: f.subject, counts: [...seen.counts, ...f.counts], firstAt: Math.min(seen.firstAt, f.firstAt), lastAt: Math.max(seen.lastAt, f.lastAt) } : f,
      );
    }
  }
  return { from, to, tokens: [...tokens.values()], failures: [...failures.values()] };
}

function mergeTokenSignals(a: TokenUseSignal, b: TokenUseSignal): TokenUseSignal {
  return {
    tokenId: a.tokenId,
    uses: [...a.uses, ...b.uses],
    firstAt: Math.min(a.firstAt, b.firstAt),
    lastAt: Math.max(a.lastAt, b.lastAt),
    dead: a.dead + b.dead,
    crossBorder: a.crossBorder + b.crossBorder,
    plaintext: a.plaintext + b.plaintext,
    rateLimitedAt: [...new Set([...a.rateLimitedAt, ...b.rateLimitedAt])],
    countries: [...new Set([...a.countries, ...b.countries])],
    addressHashes: [...new Set([...a.addressHashes, ...b.addressHashes])],
  };
}

/** Sum of the counts. */
export function totalOf(counts: readonly BucketCount[]): number {
  let total = 0;
  for (const [, n] of counts) total += n;
  return total;
}

/**
 * Whether a token's uses in the window are a spike: at least USAGE_SPIKE_MIN_USES, and more than
 * `factor` times what its history says a window holds. A token with less than a day of history has no
 * baseline yet and never spikes.
 */
export function isUsageSpike(input: { uses: number; factor: number; windowSeconds: number; historyUses: number; historySeconds: number }): { spike: boolean; baseline: number | null } {
  if (input.historySeconds < 86_400) return { spike: false, baseline: null };
  const baseline = (input.historyUses * input.windowSeconds) / input.historySeconds;
  return { spike: input.uses >= USAGE_SPIKE_MIN_USES && input.uses > input.factor * Math.max(baseline, 1), baseline };
}
