import { FEED_HEARTBEAT_SECONDS, VerifyCode, type TokenFeedKind } from '@custos/contracts';
import { evaluateCached } from '@custos/domain/tokens/cached-verification';
import { parseToken } from '@custos/domain/tokens/token-format';
import { retryingFetch, type FetchRequest } from '../client/retrying-fetch';
import type { CustosEndpoint } from './custos-endpoint';
import { remoteVerify } from './remote-verify';
import { tokenCacheKey } from './token-cache-key';
import { TokenFeed } from './token-feed';
import { UsageReporter } from './usage-reporter';
import { cachedAnswerOf, VerifyCache, type CachedAnswer } from './verify-cache';
import type { VerifierMetrics, VerifyAnswer, VerifyRequest, VerifyResult } from './verify-types';

export interface VerifierOptions {
  /** Origin of the Custos API. */
  baseUrl: string;
  /** A service key holding `custos:tokens:verify`. */
  serviceKey: string;
  /** How long a cached answer may decide verifies, at most (default 5000). The feed evicts sooner on any change. */
  cacheTtlMs?: number;
  /** Tokens cached at most, least recently used dropped first (default 10 000). */
  cacheMaxEntries?: number;
  fetch?: FetchRequest;
  /** How often uses of cached answers are reported to Custos (default 1000). */
  reportIntervalMs?: number;
  /** Unsent uses kept at most during an outage (default 100 000). */
  maxPendingReports?: number;
  /** The feed's heartbeat interval; the cache stops answering after two missed (default 15 000, as Custos sends). */
  feedHeartbeatMs?: number;
  /** The longest wait between two attempts to reconnect the feed (default 5000). */
  feedReconnectMaxMs?: number;
  /** Told of every failure the verifier recovers from by itself: a dropped feed, a refused usage report. */
  onError?: (error: unknown) => void;
}

export interface Verifier {
  /** Whether Custos accepts the token for these scopes from this address; decided in process when it can be. */
  verify(token: string, request?: VerifyRequest): Promise<VerifyResult>;
  metrics(): VerifierMetrics;
  /** Sends the uses not yet reported. */
  flush(): Promise<void>;
  /** Reports what is pending and ends the feed. */
  close(): Promise<void>;
  /** The cache's keys (token hashes), for diagnostics. */
  cacheKeys(): string[];
}

/** A request to Custos in progress for one token; concurrent first verifies of the token wait for it. */
interface InFlight {
  lookupId: string | null;
  /** A feed event about the token (or a drop of everything) arrived meanwhile: its answer may be stale. */
  stale: boolean;
  decision: Promise<CachedAnswer | null>;
}

/** Feed events after which a token can never verify again, and what Custos answers for it then. */
const FINAL_REFUSALS: Partial<Record<TokenFeedKind, VerifyCode>> = { revoked: VerifyCode.REVOKED, expired: VerifyCode.EXPIRED };

const VERIFY_RETRY_POLICY = { attempts: 2, maxDelayMs: 1000 };

export function createVerifier(options: VerifierOptions): Verifier {
  return new CachingVerifier(options);
}

class CachingVerifier implements Verifier {
  private readonly endpoint: CustosEndpoint;
  private readonly verifyEndpoint: CustosEndpoint;
  private readonly cache: VerifyCache;
  private readonly feed: TokenFeed;
  private readonly reporter: UsageReporter;
  private readonly inFlight = new Map<string, InFlight>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(options: VerifierOptions) {
    const onError = options.onError ?? (() => undefined);
    const send = options.fetch ?? ((request: Request) => fetch(request));
    this.endpoint = { baseUrl: options.baseUrl.replace(/\/+$/, ''), serviceKey: options.serviceKey, fetch: send };
    this.verifyEndpoint = { ...this.endpoint, fetch: retryingFetch(send, VERIFY_RETRY_POLICY) };
    this.cache = new VerifyCache({
      ttlMs: options.cacheTtlMs ?? 5000,
      maxEntries: options.cacheMaxEntries ?? 10_000,
      onEvicted: (count) => (this.evictions += count),
    });
    this.reporter = new UsageReporter(this.endpoint, {
      intervalMs: options.reportIntervalMs ?? 1000,
      maxPending: options.maxPendingReports ?? 100_000,
      onError,
    });
    this.feed = new TokenFeed(
      this.endpoint,
      { evict: (lookupId, kind) => this.evict(lookupId, kind), dropAll: () => this.dropAll() },
      { heartbeatMs: options.feedHeartbeatMs ?? FEED_HEARTBEAT_SECONDS * 1000, reconnectMaxMs: options.feedReconnectMaxMs ?? 5000, onError },
    );
  }

  async verify(token: string, request: VerifyRequest = {}): Promise<VerifyResult> {
    const key = tokenCacheKey(token);
    if (this.feed.live) {
      const cached = this.cache.get(key);
      if (cached) return this.decideHere(cached, request);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      const decision = await pending.decision;
      if (decision) return this.decideHere(decision, request);
      // Custos keeps state for this token (uses, rate limit) or the answer went stale: each use is its to count.
    }
    return this.askCustos(key, token, request);
  }

  metrics(): VerifierMetrics {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      feed: this.feed.feedState,
      reportsPending: this.reporter.pending,
      reportsDropped: this.reporter.droppedCount,
    };
  }

  flush(): Promise<void> {
    return this.reporter.flush();
  }

  async close(): Promise<void> {
    await this.feed.close();
    await this.reporter.close();
  }

  cacheKeys(): string[] {
    return this.cache.keys();
  }

  private async askCustos(key: string, token: string, request: VerifyRequest): Promise<VerifyResult> {
    this.misses++;
    let settle!: (decision: CachedAnswer | null) => void;
    const flight: InFlight = {
      lookupId: parseToken(token)?.lookupId ?? null,
      // An answer that arrives while the feed is not live could already be outdated by an event we missed.
      stale: !this.feed.live,
      decision: new Promise((resolve) => (settle = resolve)),
    };
    const first = !this.inFlight.has(key);
    if (first) this.inFlight.set(key, flight);
    let decision: CachedAnswer | null = null;
    try {
      const answer = await remoteVerify(this.verifyEndpoint, token, request);
      decision = answer.cache && answer.tokenId && !flight.stale ? cachedAnswerOf(answer.tokenId, answer.cache) : null;
      if (decision && this.feed.live) this.cache.store(key, decision);
      return resultOf(answer);
    } finally {
      settle(decision);
      if (first) this.inFlight.delete(key);
    }
  }

  private decideHere(cached: CachedAnswer, request: VerifyRequest): VerifyResult {
    const code = cached.refusal ?? evaluateCached(cached.token, { scopes: request.scopes, ip: request.ip });
    this.hits++;
    // Refusals too: Custos's alerts watch dead tokens being presented.
    this.reporter.record({ tokenId: cached.tokenId, code, ip: request.ip, resource: request.resource, scopes: request.scopes }, Date.now());
    if (cached.refusal) return { valid: false, code, tokenId: cached.tokenId, cached: true };
    return { valid: code === VerifyCode.VALID, code, tokenId: cached.tokenId, scopes: cached.scopes.slice(), expiresAt: cached.expiresAt, cached: true };
  }

  private evict(lookupId: string, kind: TokenFeedKind): void {
    const final = FINAL_REFUSALS[kind];
    // A revoked or expired token never verifies again: its entries say so at once, where an evicted one
    // would cost its next verify a trip to Custos to learn the same.
    if (final) this.evictions += this.cache.refuseLookupId(lookupId, final);
    else this.cache.evictLookupId(lookupId);
    for (const flight of this.inFlight.values()) if (flight.lookupId === lookupId) flight.stale = true;
  }

  private dropAll(): void {
    this.cache.clear();
    for (const flight of this.inFlight.values()) flight.stale = true;
  }
}

function resultOf(answer: VerifyAnswer): VerifyResult {
  const result: VerifyResult = { valid: answer.valid, code: answer.code, cached: false };
  if (answer.tokenId !== undefined) result.tokenId = answer.tokenId;
  if (answer.scopes !== undefined) result.scopes = answer.scopes;
  if (answer.expiresAt !== undefined) result.expiresAt = answer.expiresAt;
  if (answer.retryAfterSeconds !== undefined) result.retryAfterSeconds = answer.retryAfterSeconds;
  return result;
}
