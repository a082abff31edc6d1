/** No retry waits longer than this, however many attempts failed before it. */
export const MAX_RETRY_DELAY_MS = 6 * 3600 * 1000;

export interface RetryPolicy {
  /** The wait after the first failed attempt; each further failure doubles it. */
  baseMs: number;
  /** Attempts in all, the first included; after the last one fails the delivery is `failed`. */
  maxAttempts: number;
  capMs?: number;
}

/**
 * How long to wait after `failedAttempts` failures: base · 2^(failures − 1), capped, then jittered to a
 * random point in its upper half, so receivers that come back after an outage are not hit by every
 * retry at the same instant, while the waits still grow.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = policy.capMs ?? MAX_RETRY_DELAY_MS;
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 52);
  const full = Math.min(cap, policy.baseMs * 2 ** exponent);
  return Math.round(full / 2 + (random() * full) / 2);
}

/** After a failed attempt: wait this long and try again, or give up (null). */
export function nextRetryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  return failedAttempts >= policy.maxAttempts ? null : retryDelayMs(failedAttempts, policy, random);
}
