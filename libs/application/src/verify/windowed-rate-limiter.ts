import type { TokenRateLimiter } from './token-rate-limiter';
import type { RateLimitState, TokenRateLimit } from '@custos/domain';
import { LRUCache } from 'lru-cache';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../shared/limiters';

/** Limiters kept, one per distinct (limit, window) in use; past it the least recently used goes. */
const LIMITERS_MAX = 10_000;
/** Leases kept, one per key counted by this instance; past it the least recently used goes (its points unused). */
const LEASES_MAX = 100_000;
/** A lease takes at most this share of a limit, and never more than LEASE_MAX points. */
const LEASE_SHARE = 100;
const LEASE_MAX = 1000;

/** Points this instance took from the shared count and has not handed out yet, for one key and window. */
interface Lease {
  /** The limit it was taken under: a changed limit takes a fresh lease, from its own count. */
  limit: number;
  windowSeconds: number;
  windowEndsAt: number;
  /** Made once per lease: every answer within the window names the same reset. */
  resetAt: Date;
  left: number;
  /** The shared count's points left when the lease was taken (for `remaining`). */
  sharedLeft: number;
}

/**
 * Limits whose size is data (a token's, a tenant's), on rate-limiter-flexible: one fixed-window limiter
 * per (limit, window) pair in use, so a changed limit starts a fresh count under its own key. Tokens
 * are counted by lineage, so a rotation does not hand out a fresh budget.
 *
 * A limit of L takes its points from the shared count in leases of L/100 (at most 1000): a token verified
 * thousands of times a second asks Redis once per lease, not once per verify (bench:usage measured the
 * call at about 7 % of the api's CPU with one per verify). A limit under 200 leases one point at a time,
 * so it is exact across instances. A larger one is never exceeded; it may refuse early by the points
 * other instances hold unused, at most a lease each (1 % of the limit). A key refused stays refused on
 * this instance until its window ends, without asking again.
 */
export class WindowedRateLimiter implements TokenRateLimiter {
  private readonly limiters = new LRUCache<string, RateLimiterAbstract>({ max: LIMITERS_MAX });
  private readonly leases = new LRUCache<string, Lease>({ max: LEASES_MAX });
  /** Leases being taken, by key: settles when the lease is in `leases` (or could not be taken). */
  private readonly leasing = new Map<string, Promise<void>>();

  constructor(
    private readonly limiterOf: LimiterFactory,
    private readonly keyPrefix: string,
  ) {}

  /** Synchronous while a lease lasts: most uses of a busy token neither wait nor allocate a promise. */
  consume(key: string, { limit, windowSeconds }: TokenRateLimit): RateLimitState | Promise<RateLimitState> {
    return this.fromLease(key, limit, windowSeconds, Date.now()) ?? this.leaseAndConsume(key, limit, windowSeconds);
  }

  /** The use counted from this instance's lease; undefined when a new lease is needed. */
  private fromLease(key: string, limit: number, windowSeconds: number, now: number): RateLimitState | undefined {
    const lease = this.leases.get(key);
    if (!lease || now >= lease.windowEndsAt || lease.limit !== limit || lease.windowSeconds !== windowSeconds) return undefined;
    if (lease.left > 0) {
      lease.left -= 1;
      return { allowed: true, limit, remaining: lease.sharedLeft + lease.left, resetAt: lease.resetAt, retryAfterSeconds: 0 };
    }
    if (lease.sharedLeft === 0) return refusedState(limit, lease.windowEndsAt - now);
    return undefined;
  }

  /**
   * One lease at a time per key: uses arriving while it is being taken wait for it and count from it.
   * Each taking its own would spend a lease per concurrent use and keep only the last (50 concurrent
   * verifies spent a limit of 1,000,000 in 21,000 uses).
   */
  private async leaseAndConsume(key: string, limit: number, windowSeconds: number): Promise<RateLimitState> {
    for (let pending = this.leasing.get(key); pending; pending = this.leasing.get(key)) {
      await pending;
      const state = this.fromLease(key, limit, windowSeconds, Date.now());
      if (state) return state;
    }
    const taking = this.takeLease(key, limit, windowSeconds, Date.now());
    const settled = taking.then(
      () => undefined,
      () => undefined,
    );
    this.leasing.set(key, settled);
    try {
      return await taking;
    } finally {
      if (this.leasing.get(key) === settled) this.leasing.delete(key);
    }
  }

  private async takeLease(key: string, limit: number, windowSeconds: number, now: number): Promise<RateLimitState> {
    const limiterId = limiterIdOf(limit, windowSeconds);
    let limiter = this.limiters.get(limiterId);
    if (!limiter) {
      limiter = this.limiterOf({ keyPrefix: `${this.keyPrefix}:${limiterId}`, points: limit, duration: windowSeconds });
      this.limiters.set(limiterId, limiter);
    }
    const size = Math.max(1, Math.min(LEASE_MAX, Math.floor(limit / LEASE_SHARE)));
    const granted = await take(limiter, key, size, limit);
    const windowEndsAt = now + granted.res.msBeforeNext;
    const resetAt = new Date(windowEndsAt);
    this.leases.set(key, { limit, windowSeconds, windowEndsAt, resetAt, left: Math.max(0, granted.points - 1), sharedLeft: Math.max(0, granted.res.remainingPoints) });
    return granted.points > 0
      ? { allowed: true, limit, remaining: Math.max(0, granted.res.remainingPoints) + granted.points - 1, resetAt, retryAfterSeconds: 0 }
      : refusedState(limit, granted.res.msBeforeNext);
  }
}

function limiterIdOf(limit: number, windowSeconds: number): string {
  return `${limit}:${windowSeconds}`;
}

/**
 * Takes up to `size` points: all of them, or, when fewer were left, those that were (the excess counted
 * by the refused increment is given back, so other instances are not refused for it).
 */
async function take(limiter: RateLimiterAbstract, key: string, size: number, limit: number): Promise<{ points: number; res: RateLimiterRes }> {
  try {
    return { points: size, res: await limiter.consume(key, size) };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const excess = Math.min(size, rejection.consumedPoints - limit);
    if (excess > 0) await limiter.reward(key, excess);
    const points = size - excess;
    return { points, res: new RateLimiterRes(0, rejection.msBeforeNext, rejection.consumedPoints - excess, rejection.isFirstInDuration) };
  }
}

function refusedState(limit: number, msBeforeNext: number): RateLimitState {
  return { allowed: false, limit, remaining: 0, resetAt: new Date(Date.now() + msBeforeNext), retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
}
