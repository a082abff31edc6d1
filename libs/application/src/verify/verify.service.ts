import { Inject, Injectable } from '@nestjs/common';
import { VerifyCode, type VerifyCacheHint } from '@custos/contracts';
import { SecretMatcher } from '@custos/crypto';
import { cacheHintOf, evaluateToken, geoVerdictOf, isCustosScope, NO_RESTRICTIONS, parseToken, type GeoVerdict, type RateLimitState } from '@custos/domain';
import type { Principal } from '../auth/principal';
import { UsageObserver, type RequestOrigin } from '../usage/usage-observer';
import { andThen, type MaybePromise } from '../shared/maybe-promise';
import { scopeRefusal } from '../shared/require-scope';
import type { TokenSnapshot } from './token-cache';
import { TokenSnapshots } from './token-snapshots';
import { TOKEN_RATE_LIMITER, type TokenRateLimiter } from './token-rate-limiter';
import { UsageRecorder, type UseLocation } from './usage-recorder';

export interface VerifyInput {
  token: string;
  scopes?: string[] | undefined;
  context?: { ip?: string | undefined; country?: string | undefined; resource?: string | undefined } | undefined;
  /** Ask for a cache hint on a VALID answer (the SDK's in-process verifier). */
  cache?: boolean | undefined;
}

const NOT_LOCATED: GeoVerdict = { blocked: false, flagged: false, crossBorder: false };

export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  tokenId?: string;
  ownerServiceId?: string | null;
  scopes?: readonly string[];
  expiresAt?: string;
  remainingUses?: number | null;
  /** Where a rate-limited token stands, on VALID answers. */
  rateLimit?: { limit: number; remaining: number; resetAt: string };
  /** On RATE_LIMITED: whole seconds until a use can succeed. */
  retryAfterSeconds?: number;
  /** Asked for, on VALID: what decides later verifies of this token in the caller's process (cacheHintOf). */
  cache?: VerifyCacheHint;
}

/** A check's verdict, with the token's rate-limit state when it was counted. */
interface Checked {
  code: VerifyCode;
  rate?: RateLimitState | undefined;
}

/**
 * The hot path. Order of checks (docs/api.md): format and checksum → MALFORMED; lookup in the caller's
 * tenant and constant-time HMAC → NOT_FOUND; status → REVOKED / SUSPENDED / EXPIRED; expiry and grace
 * end → EXPIRED; not-before → NOT_YET_VALID; IP allow-list → IP_BLOCKED; geofence (observed country)
 * → GEO_BLOCKED; scopes → INSUFFICIENT_SCOPE; rate limit (counted across instances) → RATE_LIMITED;
 * remaining uses (consumed atomically) → USAGE_EXCEEDED; else VALID. A use refused by an earlier check
 * counts against neither the rate limit nor the uses.
 */
@Injectable()
export class VerifyService {
  constructor(
    private readonly snapshots: TokenSnapshots,
    private readonly secrets: SecretMatcher,
    private readonly usage: UsageRecorder,
    private readonly observer: UsageObserver,
    @Inject(TOKEN_RATE_LIMITER) private readonly rateLimiter: TokenRateLimiter,
  ) {}

  /**
   * Every answer, refusals included, is a usage event of the calling service key; MALFORMED and
   * NOT_FOUND ones name no token. The client is `context.ip` when the calling service passed it (whoever
   * presented the token to that service), else the caller itself.
   */
  verify(principal: Principal, input: VerifyInput, origin: RequestOrigin): MaybePromise<VerifyResult> {
    // A promise either way for this refusal: callers may treat every failure of verify as a rejection.
    if (!principal.scopes.includes('custos:tokens:verify')) return Promise.reject(scopeRefusal('custos:tokens:verify'));
    const clientIp = input.context?.ip ?? origin.ip;
    const located = this.observer.locate(principal.tenantId, clientIp);
    return andThen(this.answer(principal, input, located.country), ({ result, geo }) => {
      this.observer.observe(
        {
          tenantId: principal.tenantId,
          kind: 'verify',
          tokenId: result.tokenId ?? null,
          callerId: principal.kind === 'service_key' ? principal.id : null,
          outcome: result.code,
          clientIp,
          claimedCountry: input.context?.country,
          resource: input.context?.resource,
          origin,
          crossBorder: geo.crossBorder,
          geoFlagged: geo.flagged,
        },
        located,
      );
      return result;
    });
  }

  private answer(principal: Principal, input: VerifyInput, country: string | null): MaybePromise<{ result: VerifyResult; geo: GeoVerdict }> {
    const parsed = parseToken(input.token);
    if (!parsed) return { result: { valid: false, code: VerifyCode.MALFORMED }, geo: NOT_LOCATED };
    return andThen(this.snapshots.inTenant(principal.tenantId, parsed.lookupId), (snapshot) => {
      if (!snapshot || !this.secrets.matches(parsed.raw, snapshot)) {
        return { result: { valid: false, code: VerifyCode.NOT_FOUND }, geo: NOT_LOCATED };
      }
      const geo = geoVerdictOf(snapshot.geo ?? NO_RESTRICTIONS, country);
      return andThen(this.check(snapshot, input.scopes ?? [], input.context?.ip, geo, { country, crossBorder: geo.crossBorder }), (checked) => {
        const result = describe(snapshot, checked);
        if (input.cache && result.valid) {
          const hint = cacheHintOf(snapshot);
          if (hint) result.cache = hint;
        }
        return { result, geo };
      });
    });
  }

  /**
   * A service key authenticating to the API: a token holding at least one custos scope, which must
   * itself verify VALID. An ordinary token is for the tenant's own APIs, not for Custos.
   */
  authenticateServiceKey(raw: string, ip: string | undefined): MaybePromise<Principal | null> {
    const parsed = parseToken(raw);
    if (!parsed) return null;
    return andThen(this.snapshots.anyTenant(parsed.lookupId), (snapshot) => {
      if (!snapshot || !this.secrets.matches(parsed.raw, snapshot)) return null;
      if (!snapshot.scopes.some(isCustosScope)) return null;
      return andThen(this.check(snapshot, [], ip), ({ code }): Principal | null =>
        code !== VerifyCode.VALID
          ? null
          : {
              tenantId: snapshot.tenantId,
              kind: 'service_key',
              id: snapshot.id,
              email: null,
              name: snapshot.actorName,
              scopes: snapshot.scopes,
              role: null,
              ownerServiceId: snapshot.ownerServiceId,
              sessionId: null,
            },
      );
    });
  }

  /**
   * A service key used its custos scopes on the API: recorded like the scopes a verify asks for, so an
   * access review does not see them as unused. Its use itself was counted when it authenticated.
   */
  recordScopesUsed(principal: Principal, scopes: readonly string[]): void {
    if (principal.kind === 'service_key' && scopes.length > 0) this.usage.recordScopes(principal.tenantId, principal.id, new Date(), scopes);
  }

  private check(snapshot: TokenSnapshot, scopes: readonly string[], ip: string | undefined, geo?: GeoVerdict, where?: UseLocation): MaybePromise<Checked> {
    const now = new Date();
    const code = evaluateToken(snapshot, { requiredScopes: scopes, ip, geo, now });
    if (code !== VerifyCode.VALID) return { code };
    // The lineage's count: a successor in grace and its predecessor share one budget, as they share uses.
    const counted = snapshot.rateLimit ? this.rateLimiter.consume(snapshot.rootId, snapshot.rateLimit) : undefined;
    return andThen(counted, (rate): MaybePromise<Checked> => {
      if (rate && !rate.allowed) return { code: VerifyCode.RATE_LIMITED, rate };
      const recorded = (): Checked => {
        this.usage.record(snapshot.tenantId, snapshot.id, now, ip, where, scopes);
        return { code: VerifyCode.VALID, rate };
      };
      if (snapshot.remainingUses === null) return recorded();
      return this.snapshots.consumeUse(snapshot).then((left): Checked => (left ? recorded() : { code: VerifyCode.USAGE_EXCEEDED, rate }));
    });
  }
}

function describe(snapshot: TokenSnapshot, { code, rate }: Checked): VerifyResult {
  const result: VerifyResult = {
    valid: code === VerifyCode.VALID,
    code,
    tokenId: snapshot.id,
    ownerServiceId: snapshot.ownerServiceId,
    scopes: snapshot.scopes,
    expiresAt: snapshot.expiresAtIso,
    remainingUses: snapshot.remainingUses,
  };
  if (rate && code === VerifyCode.VALID) result.rateLimit = { limit: rate.limit, remaining: rate.remaining, resetAt: isoOf(rate.resetAt) };
  if (rate && code === VerifyCode.RATE_LIMITED) result.retryAfterSeconds = rate.retryAfterSeconds;
  return result;
}

/** The last reset written out: the uses of a busy token within one window share it (one lease, one Date). */
const lastReset = { at: null as Date | null, iso: '' };

function isoOf(resetAt: Date): string {
  if (lastReset.at !== resetAt) {
    lastReset.at = resetAt;
    lastReset.iso = resetAt.toISOString();
  }
  return lastReset.iso;
}
