import type { RateLimitState, TokenRateLimit } from '@custos/domain';

/**
 * Counts the uses of rate-limited tokens, shared by every api instance (Redis); while the shared count
 * is out of reach each instance counts on its own.
 */
export interface TokenRateLimiter {
  /** Counts one use of the lineage `key` under `limit`; where it stands after (refused when over). Synchronous when no I/O was needed. */
  consume(key: string, limit: TokenRateLimit): RateLimitState | Promise<RateLimitState>;
}

export const TOKEN_RATE_LIMITER = Symbol('TOKEN_RATE_LIMITER');
