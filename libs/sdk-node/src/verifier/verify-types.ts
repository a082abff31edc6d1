import type { VerifyCacheHint, VerifyCode } from '@custos/contracts';

export interface VerifyRequest {
  /** Scopes the token must all hold. */
  scopes?: readonly string[];
  /** The caller's client address, checked against the token's allowed CIDRs. */
  ip?: string;
  /** What was accessed, recorded with the use. */
  resource?: string;
}

export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  tokenId?: string;
  /** Every scope the token holds. */
  scopes?: string[];
  expiresAt?: string;
  /** On RATE_LIMITED: seconds until the token's window lets a use through. */
  retryAfterSeconds?: number;
  /** Decided in this process from a cached answer, not by Custos. */
  cached: boolean;
}

/** The body of `POST /v1/verify` asked with `cache: true`. */
export interface VerifyAnswer {
  valid: boolean;
  code: VerifyCode;
  tokenId?: string;
  ownerServiceId?: string | null;
  scopes?: string[];
  expiresAt?: string;
  remainingUses?: number | null;
  retryAfterSeconds?: number;
  /** Only on VALID answers that depend on no state shared between callers. */
  cache?: VerifyCacheHint;
}

export type FeedState = 'connected' | 'connecting' | 'down';

export interface VerifierMetrics {
  /** Verifies decided in process. */
  hits: number;
  /** Verifies sent to Custos. */
  misses: number;
  /** Cached answers dropped because the feed said the token (or the tenant) changed. */
  evictions: number;
  feed: FeedState;
  /** Uses of cached answers not yet accepted by Custos. */
  reportsPending: number;
  /** Uses that could not be queued because the queue was full. */
  reportsDropped: number;
}

/** Custos answered with an error status (not a verdict): a bad service key, a bad request, or an outage. */
export class CustosRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`Custos answered ${status}`);
    this.name = 'CustosRequestError';
  }
}
