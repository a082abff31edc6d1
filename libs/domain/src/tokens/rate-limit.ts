/** A token's rate limit: at most `limit` uses per `windowSeconds`, counted for its whole rotation lineage. */
export interface TokenRateLimit {
  limit: number;
  windowSeconds: number;
}

export const RATE_LIMIT_MAX = 1_000_000;
/** A day at most: the in-process stand-in that counts while Redis is away keeps its windows in timers. */
export const RATE_WINDOW_MAX_SECONDS = 86_400;

/** Where a limited token stands after a use was counted. */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** Whole seconds until the window lets another use through; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Whether `next` loosens `current`: lifting a limit, letting more uses through in a window, or a higher
 * rate. Loosening needs more than editing a token, as widening an IP allow-list does.
 */
export function loosensRateLimit(current: TokenRateLimit | null, next: TokenRateLimit | null): boolean {
  if (current === null) return false;
  if (next === null) return true;
  return next.limit > current.limit || next.limit * current.windowSeconds > current.limit * next.windowSeconds;
}
