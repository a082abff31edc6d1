import type { CreatedVia, GeoMode, JsonObject, TokenEnvironment, TokenStatus } from '@custos/contracts';
import type { TokenEntity, Tx } from '@custos/persistence';
import { regionsOf, type TokenGeofence, type TokenRateLimit } from '@custos/domain';
import { Actors, type ActorReads, type ActorView } from '../accounts/actors';
import type { Principal } from '../auth/principal';

/** The public shape of a token: never the hash, the pepper id or the secret. */
export interface TokenView {
  id: string;
  kind: 'api_key';
  name: string;
  environment: TokenEnvironment;
  lookupId: string;
  /** A recognisable, harmless display form: cus_live_<lookupId>…<last4>. */
  hint: string;
  status: TokenStatus;
  scopes: string[];
  ownerServiceId: string | null;
  /** The user accountable for the token. */
  stewardUserId: string | null;
  createdBy: string | null;
  /** Who `createdBy` names: a person's e-mail, a service key's name. */
  createdByActor: ActorView | null;
  createdVia: CreatedVia;
  notBefore: string | null;
  expiresAt: string;
  graceEndsAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  /** Who `revokedBy` names. */
  revokedByActor: ActorView | null;
  revokedReason: string | null;
  suspendedAt: string | null;
  /** `manual`, or `unused` when the unused-token sweep suspended it. */
  suspendedReason: string | null;
  rotationIntervalSeconds: number | null;
  gracePeriodSeconds: number | null;
  nextRotationAt: string | null;
  rotatedFromId: string | null;
  rootId: string;
  allowedCidrs: string[];
  geoMode: GeoMode;
  residencyRegion: string | null;
  allowedRegions: string[];
  allowedCountries: string[];
  rateLimit: TokenRateLimit | null;
  maxUses: number | null;
  /** Uses left to the whole rotation lineage (one budget shared by a token and its successors). */
  remainingUses: number | null;
  metadata: JsonObject;
  /** The consent whose window bounds this token's use, if any. */
  consentId: string | null;
  dataCategories: string[];
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  /** The observed country of its latest VALID use. */
  lastUsedCountry: string | null;
  /** The region groups of every country a VALID use came from. */
  regionsSeen: string[];
  /** Its latest VALID use from outside its residency region. */
  lastCrossBorderAt: string | null;
  useCount: number;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** `actors` must know the token's creator and revoker (tokenViews loads them). */
export function toTokenView(t: TokenEntity, actors: Actors): TokenView {
  return {
    id: t.id,
    kind: t.kind,
    name: t.name,
    environment: t.environment,
    lookupId: t.lookupId,
    hint: `cus_${t.environment}_${t.lookupId}…${t.last4}`,
    status: t.status,
    scopes: t.scopes,
    ownerServiceId: t.ownerServiceId,
    stewardUserId: t.stewardUserId,
    createdBy: t.createdBy,
    createdByActor: actors.of(t.createdBy),
    createdVia: t.createdVia,
    notBefore: iso(t.notBefore),
    expiresAt: t.expiresAt.toISOString(),
    graceEndsAt: iso(t.graceEndsAt),
    revokedAt: iso(t.revokedAt),
    revokedBy: t.revokedBy,
    revokedByActor: actors.of(t.revokedBy),
    revokedReason: t.revokedReason,
    suspendedAt: iso(t.suspendedAt),
    suspendedReason: t.suspendedReason,
    rotationIntervalSeconds: t.rotationIntervalSeconds,
    gracePeriodSeconds: t.gracePeriodSeconds,
    nextRotationAt: iso(t.nextRotationAt),
    rotatedFromId: t.rotatedFromId,
    rootId: t.rootId,
    allowedCidrs: t.allowedCidrs,
    geoMode: t.geoMode,
    residencyRegion: t.residencyRegion,
    allowedRegions: t.allowedRegions,
    allowedCountries: t.allowedCountries,
    rateLimit: rateLimitOfEntity(t),
    maxUses: t.maxUses,
    remainingUses: t.maxUses === null ? null : t.lineageRemainingUses,
    metadata: t.metadata,
    consentId: t.consentId,
    dataCategories: t.dataCategories,
    lastUsedAt: iso(t.lastUsedAt),
    lastUsedIp: t.lastUsedIp,
    lastUsedCountry: t.lastUsedCountry ?? null,
    regionsSeen: regionsSeenOf(t.countriesSeen ?? []),
    lastCrossBorderAt: iso(t.lastCrossBorderAt ?? null),
    useCount: t.useCount,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/** Views of tokens, their creators and revokers resolved in one query (none when `caller` is the only one). */
export async function tokenViews(reads: ActorReads, tx: Tx, tokens: readonly TokenEntity[], caller?: Principal): Promise<TokenView[]> {
  const actors = await Actors.load(reads, tx, tokens.flatMap((t) => [t.createdBy, t.revokedBy]), caller);
  return tokens.map((t) => toTokenView(t, actors));
}

export async function tokenView(reads: ActorReads, tx: Tx, token: TokenEntity, caller?: Principal): Promise<TokenView> {
  return (await tokenViews(reads, tx, [token], caller))[0]!;
}

export interface IssuedToken {
  token: TokenView;
  /** Shown once: only here and in a rotation's answer. */
  secret: string;
}

/** A stored token's residency and geofence, as verify and the editor read them. */
export function geofenceOfEntity(t: Pick<TokenEntity, 'geoMode' | 'residencyRegion' | 'allowedRegions' | 'allowedCountries'>): TokenGeofence {
  return { mode: t.geoMode, residencyRegion: t.residencyRegion, allowedRegions: t.allowedRegions, allowedCountries: t.allowedCountries };
}

/** A stored token's rate limit, or null. */
export function rateLimitOfEntity(t: Pick<TokenEntity, 'rateLimit' | 'rateLimitWindowSeconds'>): TokenRateLimit | null {
  return t.rateLimit != null && t.rateLimitWindowSeconds != null ? { limit: t.rateLimit, windowSeconds: t.rateLimitWindowSeconds } : null;
}

/** The built-in region groups of the countries a token was used from, each once, in alphabetical order. */
export function regionsSeenOf(countries: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const country of countries) for (const region of regionsOf(country)) seen.add(region);
  return [...seen].sort();
}
