export const USAGE_KINDS = ['verify', 'api'] as const;
/** A verify answer, or a request of the API authenticated by a service key. */
export type UsageKind = (typeof USAGE_KINDS)[number];

export const USAGE_TRANSPORTS = ['https', 'http'] as const;
export type UsageTransport = (typeof USAGE_TRANSPORTS)[number];

/** The longest user agent kept: enough to tell clients apart, not a place to store a request. */
export const USAGE_USER_AGENT_MAX = 256;
/** The longest `context.resource` kept. */
export const USAGE_RESOURCE_MAX = 512;

/**
 * One use of a token, as its caller resolved it: the address already reduced to its network and a
 * keyed hash (an address is personal data and is never kept whole), the country observed from the
 * address beside the one the caller claimed. Written in batches off the hot path (UsageEventWriter).
 */
export interface UsageEvent {
  tenantId: string;
  occurredAt: Date;
  kind: UsageKind;
  /** The token used; null when none was found (MALFORMED, NOT_FOUND). */
  tokenId: string | null;
  /** The service key's token id that called verify or the API. */
  callerId: string | null;
  /** A verify code (VALID, MALFORMED, NOT_FOUND, ...) or, for `api`, the HTTP status class or route. */
  outcome: string;
  /** The client's network (IPv4 /24, IPv6 /48) in CIDR notation. */
  ipPrefix: string | null;
  /** Keyed hash of the full address, to count distinct addresses without keeping them. */
  ipHash: string | null;
  /** ISO 3166-1 alpha-2, observed from the address; null for private, loopback and unknown addresses. */
  country: string | null;
  /** The country the caller passed in `context.country`; recorded, never enforced on. */
  claimedCountry: string | null;
  /** The region group of `country` (EU, US, ...). */
  region: string | null;
  resource: string | null;
  transport: UsageTransport;
  userAgent: string | null;
  /** The use came from outside the token's residency region. */
  crossBorder: boolean;
  /** A geo rule in monitor mode would have refused it. */
  geoFlagged: boolean;
  /** How many uses the event stands for (the SDK reports cached verifies counted); 1 when left out. */
  uses?: number;
}

/**
 * The event as it is kept: the free-text fields cut to their lengths (USAGE_USER_AGENT_MAX,
 * USAGE_RESOURCE_MAX) and the claimed country upper-cased, or dropped when it is no country code; what
 * a caller claims must not cost the event.
 */
export function boundedUsageEvent(event: UsageEvent): UsageEvent {
  const userAgent = truncate(event.userAgent, USAGE_USER_AGENT_MAX);
  const resource = truncate(event.resource, USAGE_RESOURCE_MAX);
  const claimedCountry = countryCode(event.claimedCountry);
  return userAgent === event.userAgent && resource === event.resource && claimedCountry === event.claimedCountry
    ? event
    : { ...event, userAgent, resource, claimedCountry };
}

function countryCode(value: string | null): string | null {
  if (value === null) return null;
  const upper = value.toUpperCase();
  return /^[A-Z]{2}$/.test(upper) ? upper : null;
}

/** At most `max` UTF-16 units, never splitting a surrogate pair (which Postgres would refuse as text). */
function truncate(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value;
  const end = isHighSurrogate(value.charCodeAt(max - 1)) ? max - 1 : max;
  return value.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
