/** 429 and 503 say the request was not processed, so retrying is safe whatever the method. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** No wait is longer than this, whatever the server asks: a caller would rather see the error. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, maxDelayMs: 30_000 };

const FALLBACK_BASE_DELAY_MS = 250;

/**
 * The wait before attempt `retry + 1` (retry counts from 0): what `Retry-After` asks for, as delta seconds
 * or an HTTP date, else a jittered doubling; never more than the policy's cap.
 */
export function retryDelayMs(retryAfter: string | null, retry: number, policy: RetryPolicy, now = Date.now()): number {
  const asked = retryAfter === null ? null : parseRetryAfterMs(retryAfter, now);
  const delay = asked ?? FALLBACK_BASE_DELAY_MS * 2 ** retry * (0.5 + Math.random() / 2);
  return Math.min(Math.max(0, delay), policy.maxDelayMs);
}

/** RFC 9110 §10.2.3: a non-negative integer of seconds, or an HTTP date; null when it is neither. */
export function parseRetryAfterMs(value: string, now = Date.now()): number | null {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
