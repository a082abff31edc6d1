/** Answers of POST /v1/verify. The order in which they are checked is documented in docs/api.md. */
export enum VerifyCode {
  VALID = 'VALID',
  MALFORMED = 'MALFORMED',
  NOT_FOUND = 'NOT_FOUND',
  REVOKED = 'REVOKED',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
  NOT_YET_VALID = 'NOT_YET_VALID',
  IP_BLOCKED = 'IP_BLOCKED',
  /** The token is geofenced (`geoMode: enforce`) and the client's observed country lies outside what it allows. */
  GEO_BLOCKED = 'GEO_BLOCKED',
  INSUFFICIENT_SCOPE = 'INSUFFICIENT_SCOPE',
  /** The token's rate limit is spent for the current window; the answer says when to retry (retryAfterSeconds). */
  RATE_LIMITED = 'RATE_LIMITED',
  USAGE_EXCEEDED = 'USAGE_EXCEEDED',
  /** The token reaches data categories the tenant's policy binds to a consent, and has none. */
  CONSENT_REQUIRED = 'CONSENT_REQUIRED',
  CONSENT_NOT_YET_VALID = 'CONSENT_NOT_YET_VALID',
  CONSENT_EXPIRED = 'CONSENT_EXPIRED',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
}

export const GEO_MODES = ['off', 'monitor', 'enforce'] as const;
/** off: no geofence; monitor: a use outside it is answered as usual and flagged; enforce: it is refused (GEO_BLOCKED). */
export type GeoMode = (typeof GEO_MODES)[number];

export const TOKEN_STATUSES = ['active', 'rotating', 'suspended', 'revoked', 'expired'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export const TOKEN_ENVIRONMENTS = ['live', 'test'] as const;
export type TokenEnvironment = (typeof TOKEN_ENVIRONMENTS)[number];

export const CREATED_VIA = ['dashboard', 'api', 'rotation', 'bootstrap'] as const;
export type CreatedVia = (typeof CREATED_VIA)[number];
