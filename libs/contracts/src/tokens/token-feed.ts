/**
 * The events feed (`GET /v1/events/stream`, Server-Sent Events): per tenant, every change a cache of verify
 * answers must hear. Nothing secret is in it: token ids and lookup ids only.
 */

/** What happened to a token; each one means "drop what you cached of it". */
export const TOKEN_FEED_KINDS = ['revoked', 'suspended', 'resumed', 'expired', 'rotated', 'narrowed', 'consent_withdrawn', 'changed'] as const;
export type TokenFeedKind = (typeof TOKEN_FEED_KINDS)[number];

/** The SSE `event:` names of the feed. */
export const FEED_EVENT_NAMES = {
  /** One token changed: data is a TokenFeedEvent. */
  token: 'token',
  /** Drop every cached token of the tenant: its policy changed what verify answers, or a change touched thousands. */
  tenant: 'tenant',
  /** The client asked to resume from an event the server no longer holds: drop everything, then carry on. */
  reset: 'reset',
  /** Sent every FEED_HEARTBEAT_SECONDS when nothing else was; a client that hears nothing for two of them is cut off. */
  heartbeat: 'heartbeat',
} as const;
export type FeedEventName = (typeof FEED_EVENT_NAMES)[keyof typeof FEED_EVENT_NAMES];

export const FEED_HEARTBEAT_SECONDS = 15;

export interface TokenFeedEvent {
  kind: TokenFeedKind;
  tokenId: string;
  lookupId: string;
  /** When the change was committed (ISO 8601). */
  at: string;
}

export interface TenantFeedEvent {
  /** The policy changed what verify answers, or one change touched too many tokens to name each. */
  kind: 'policy_changed' | 'tokens_changed';
  at: string;
}

/**
 * On a VALID answer to `POST /v1/verify { cache: true }`, what a caller needs to decide later verifies of
 * the same token in its own process, with the rules of `evaluateToken`. Absent when the answer depends on
 * state shared by every caller (a use limit, a rate limit, a geofence): such a token is always verified by
 * Custos.
 */
export interface VerifyCacheHint {
  /** The feed names the token by it. */
  lookupId: string;
  /** Every scope the token holds, not only those asked for. */
  scopes: string[];
  expiresAt: string;
  /** A rotated token's end of grace, if it is one. */
  graceEndsAt: string | null;
  notBefore: string | null;
  allowedCidrs: string[];
  /** The window of the consent the token is bound to, if any. */
  consent: { validFrom: string; validUntil: string } | null;
}
