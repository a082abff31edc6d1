import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type GeoMode, type JsonObject, type TokenEnvironment } from '@custos/contracts';
import {
  isCustosScope,
  DomainError,
  assertCanGrant,
  effectiveExpiry,
  generateToken,
  newId,
  nextStatus,
  normalizeScopes,
  scopeFieldErrors,
  geofenceProblems,
  issuedGeofence,
  type TenantGeoPolicy,
  type TokenGeofence,
  type TokenRateLimit,
} from '@custos/domain';
import { TokenHasher } from '@custos/crypto';
import { ActorRepository, CHAIN_HEAD_IF_FREE, Database, TokenRepository, type BatchedWrite, type TenantPolicyEntity, type TokenEntity, type Tx } from '@custos/persistence';
import type { ActorReads } from '../accounts/actors';
import { AuditLog, actorOf, type AuditActor, type AuditEntry } from '../audit/audit-log';
import { createdVia, type Principal, type RequestMeta } from '../auth/principal';
import { bindConsent, rebindConsent } from '../consents/consent-binding';
import { geoPolicyOf, PolicyService } from '../policy/policy.service';
import { requireScope } from '../shared/require-scope';
import { assertSteppedUp } from '../auth/step-up';
import { Stewards } from '../stewards/stewards';
import { TokenChanges } from '../feed/token-changes';
import { ownerService, requireToken, type OwnerServices } from './token-lookups';
import { geofenceOfEntity, rateLimitOfEntity, tokenView, tokenViews, type IssuedToken, type TokenView } from './token-view';

export interface IssueTokenInput {
  name: string;
  ownerServiceId?: string | undefined;
  scopes: string[];
  expiresAt?: Date | undefined;
  expiresInSeconds?: number | undefined;
  notBefore?: Date | undefined;
  environment?: TokenEnvironment | undefined;
  allowedCidrs?: string[] | undefined;
  maxUses?: number | undefined;
  metadata?: JsonObject | undefined;
  rotationIntervalSeconds?: number | undefined;
  gracePeriodSeconds?: number | undefined;
  consentId?: string | undefined;
  dataCategories?: string[] | undefined;
  geoMode?: GeoMode | undefined;
  residencyRegion?: string | null | undefined;
  allowedRegions?: string[] | undefined;
  allowedCountries?: string[] | undefined;
  rateLimit?: TokenRateLimit | null | undefined;
  /** The user accountable for it; naming one takes custos:users:write. Default: the issuer, or a service key's service's steward. */
  stewardUserId?: string | undefined;
}

export type Rotation = IssuedToken & { predecessor: TokenView };

/** A rotation as it was written: the successor, its secret, and the predecessor as it is now. */
export interface RotatedTokens {
  successor: TokenEntity;
  secret: string;
  predecessor: TokenEntity;
}

/** What a rotation's caller adds to its `token.rotated` event: audit data, and webhook-only data. */
export interface RotationNotice {
  data?: Record<string, unknown>;
  webhookData?: Record<string, unknown>;
}

/** The token writes issuing and rotating need. */
export type TokenIssuerStore = OwnerServices & Pick<TokenRepository, 'lockById' | 'insert' | 'insertStatement' | 'markRotated'>;

/** A token issued in a transaction, waiting to be written with its `token.issued` event. */
interface Issued {
  token: TokenEntity;
  entry: AuditEntry & { meta: RequestMeta };
}

/** Issuing and rotating: the two ways a secret comes into being. */
@Injectable()
export class TokenIssuer {
  /**
   * The tokens issued in one transaction (a batch of issues) and their events: one statement, with
   * the events sealed at once when the tenant's chain head is free.
   */
  private readonly issuedTokens: BatchedWrite<Issued> = {
    write: (tx, issued) =>
      this.audit.recordSealedIfFree(tx, issued[0]!.entry.meta, this.tokens.insertStatement(issued.map((i) => i.token)), ...issued.map((i) => i.entry)),
  };

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly hasher: TokenHasher,
    private readonly policies: PolicyService,
    private readonly changes: TokenChanges,
    @Inject(TokenRepository) private readonly tokens: TokenIssuerStore,
    @Inject(ActorRepository) private readonly actors: ActorReads,
    private readonly stewards: Stewards,
  ) {}

  /**
   * Concurrent issues of a tenant share one transaction (group commit); each is checked on its own
   * and answers for itself: its own refusal, or its own token and secret.
   */
  async issue(principal: Principal, input: IssueTokenInput, meta: RequestMeta): Promise<IssuedToken> {
    requireScope(principal, 'custos:tokens:issue');
    const scopeErrors = scopeFieldErrors(input.scopes);
    if (scopeErrors.length > 0) throw DomainError.validation(scopeErrors);
    const scopes = normalizeScopes(input.scopes);
    // A key that administers Custos is as sensitive as a role change.
    if (scopes.some(isCustosScope)) assertSteppedUp(principal);
    return this.db.tenant(
      principal.tenantId,
      async (tx) => {
        const built = await this.build(tx, principal, input, scopes, new Date());
        tx.beforeCommit(this.issuedTokens, { token: built.entity, entry: { ...built.entry, meta } });
        return { token: await tokenView(this.actors, tx, built.entity, principal), secret: built.secret };
      },
      // The batch's two reads go with its BEGIN: the head its events are sealed onto, and the steward.
      { batch: true, opening: [CHAIN_HEAD_IF_FREE, ...this.stewards.opening(principal, input.stewardUserId)] },
    );
  }

  /** An issue's reads and checks, and the token they allow; writes nothing. */
  private async build(
    tx: Tx,
    principal: Principal,
    input: IssueTokenInput,
    scopes: string[],
    now: Date,
  ): Promise<{ entity: TokenEntity; secret: string; entry: AuditEntry }> {
    const service = await ownerService(this.tokens, tx, input.ownerServiceId);
    assertCanGrant({ requested: scopes, callerScopes: principal.scopes, serviceAllowedScopes: service?.allowedScopes ?? null });
    const policy = await this.policies.current(tx);
    const expiresAt = resolveExpiry(input, policy, now);
    if (input.notBefore && input.notBefore >= expiresAt) {
      throw DomainError.validation([{ field: 'notBefore', message: 'must be before the expiry' }]);
    }
    const binding = await bindConsent(tx, input, policy.requireConsentFor, now);
    const rotationInterval = input.rotationIntervalSeconds ?? policy.defaultRotationIntervalSeconds ?? null;
    const { entity, secret } = this.newToken({ tenantId: principal.tenantId, createdBy: principal.id }, {
      now,
      name: input.name,
      environment: input.environment ?? 'live',
      ownerServiceId: service?.id ?? null,
      scopes,
      expiresAt,
      notBefore: input.notBefore ?? null,
      allowedCidrs: input.allowedCidrs ?? [],
      geofence: geofenceOf(input, geoPolicyOf(policy)),
      rateLimit: input.rateLimit ?? null,
      maxUses: input.maxUses ?? null,
      metadata: input.metadata ?? {},
      rotationIntervalSeconds: rotationInterval,
      gracePeriodSeconds: input.gracePeriodSeconds ?? null,
      rotatedFrom: null,
      via: createdVia(principal),
      consentId: binding.consentId,
      dataCategories: binding.dataCategories,
      stewardUserId: await this.stewards.resolve(tx, principal, input.stewardUserId),
    });
    return {
      entity,
      secret,
      entry: { action: 'token.issued', actor: actorOf(principal), target: { type: 'token', id: entity.id }, data: issuedData(entity) },
    };
  }

  /**
   * The old token keeps working until the grace period ends, never past its own expiry; the successor
   * inherits scopes and restrictions. Rotating hands out a working secret, so the caller must be able
   * to grant every scope on the token, as if issuing it.
   */
  async rotate(
    principal: Principal,
    tokenId: string,
    input: { gracePeriodSeconds?: number | undefined },
    meta: RequestMeta,
  ): Promise<Rotation> {
    requireScope(principal, 'custos:tokens:rotate');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const old = requireToken(await this.tokens.lockById(tx, tokenId));
      // A rotation hands out a working secret: of a key that administers Custos, as sensitive as issuing one.
      if (old.scopes.some(isCustosScope)) assertSteppedUp(principal);
      const rotated = await this.rotateLocked(tx, { actor: actorOf(principal), callerScopes: principal.scopes }, old, input, meta);
      const [token, predecessor] = await tokenViews(this.actors, tx, [rotated.successor, rotated.predecessor], principal);
      return { token: token!, secret: rotated.secret, predecessor: predecessor! };
    });
  }

  /**
   * The rotation itself, on a token the caller has locked in `tx`: shared by a person's or service's
   * rotation and the worker's scheduled one. `notice` adds to the `token.rotated` event and its webhook.
   */
  async rotateLocked(
    tx: Tx,
    by: { actor: AuditActor; callerScopes: readonly string[] },
    old: TokenEntity,
    input: { gracePeriodSeconds?: number | undefined },
    meta: RequestMeta,
    notice: (successor: TokenEntity, secret: string) => Promise<RotationNotice> = async () => ({}),
  ): Promise<RotatedTokens> {
    const now = new Date();
    const status = nextStatus(old.status, 'rotate');
    // Statuses lag behind the clock until the expiry sweep runs; a dead token must not come back.
    if (effectiveExpiry(old) <= now) {
      throw new DomainError(ErrorCode.INVALID_TRANSITION, 'An expired token cannot rotate.');
    }
    const service = await ownerService(this.tokens, tx, old.ownerServiceId);
    assertCanGrant({ requested: old.scopes, callerScopes: by.callerScopes, serviceAllowedScopes: service?.allowedScopes ?? null });
    const policy = await this.policies.current(tx);
    const grace = input.gracePeriodSeconds ?? old.gracePeriodSeconds ?? policy.defaultGracePeriodSeconds;
    const graceEnd = new Date(Math.min(now.getTime() + grace * 1000, old.expiresAt.getTime()));
    const lifetimeMs = Math.min(old.expiresAt.getTime() - old.createdAt.getTime(), policy.maxLifetimeSeconds * 1000);
    // The binding carries over, and the successor cannot outlive the consent's window.
    const consentEnd = await rebindConsent(tx, old.consentId, now);
    const expiresAt = new Date(Math.min(now.getTime() + lifetimeMs, consentEnd?.getTime() ?? Infinity));
    const { entity, secret } = this.newToken({ tenantId: old.tenantId, createdBy: by.actor.id }, {
      now,
      name: old.name,
      environment: old.environment,
      ownerServiceId: old.ownerServiceId,
      scopes: old.scopes,
      expiresAt,
      // A rotation never widens: the successor keeps a future start, and draws on the lineage's uses.
      notBefore: old.notBefore && old.notBefore > now ? old.notBefore : null,
      allowedCidrs: old.allowedCidrs,
      geofence: geofenceOfEntity(old),
      rateLimit: rateLimitOfEntity(old),
      maxUses: old.maxUses,
      metadata: old.metadata,
      rotationIntervalSeconds: old.rotationIntervalSeconds,
      gracePeriodSeconds: old.gracePeriodSeconds,
      rotatedFrom: old,
      via: 'rotation',
      consentId: old.consentId,
      dataCategories: old.dataCategories,
      // The successor is the same credential's next secret: the same person answers for it.
      stewardUserId: old.stewardUserId,
    });
    await this.tokens.markRotated(tx, old.id, status, graceEnd, now);
    Object.assign(old, { status, graceEndsAt: graceEnd, nextRotationAt: null, updatedAt: now });
    await this.tokens.insert(tx, entity);
    const extra = await notice(entity, secret);
    await this.audit.record(
      tx,
      meta,
      {
        action: 'token.rotated',
        actor: by.actor,
        target: { type: 'token', id: old.id },
        data: { successorId: entity.id, graceEndsAt: graceEnd.toISOString(), ...extra.data },
        webhookData: { successorId: entity.id, graceEndsAt: graceEnd.toISOString(), ...extra.webhookData },
      },
      { action: 'token.issued', actor: by.actor, target: { type: 'token', id: entity.id }, data: issuedData(entity) },
    );
    this.changes.afterCommit(tx, 'rotated', [old]);
    return { successor: entity, secret, predecessor: old };
  }

  private newToken(
    by: { tenantId: string; createdBy: string | null },
    t: {
      now: Date;
      name: string;
      environment: TokenEnvironment;
      ownerServiceId: string | null;
      scopes: string[];
      expiresAt: Date;
      notBefore: Date | null;
      allowedCidrs: string[];
      geofence: TokenGeofence;
      rateLimit: TokenRateLimit | null;
      maxUses: number | null;
      metadata: JsonObject;
      rotationIntervalSeconds: number | null;
      gracePeriodSeconds: number | null;
      rotatedFrom: TokenEntity | null;
      via: TokenEntity['createdVia'];
      consentId: string | null;
      dataCategories: string[];
      stewardUserId: string | null;
    },
  ): { entity: TokenEntity; secret: string } {
    const generated = generateToken(t.environment);
    const { hash, pepperId } = this.hasher.hash(generated.raw);
    const id = newId('tok', t.now.getTime());
    const entity: TokenEntity = {
      tenantId: by.tenantId,
      id,
      kind: 'api_key',
      name: t.name,
      environment: t.environment,
      ownerServiceId: t.ownerServiceId,
      stewardUserId: t.stewardUserId,
      createdBy: by.createdBy,
      createdVia: t.via,
      lookupId: generated.lookupId,
      secretHash: hash,
      pepperId,
      last4: generated.last4,
      scopes: t.scopes,
      status: 'active',
      notBefore: t.notBefore,
      expiresAt: t.expiresAt,
      graceEndsAt: null,
      revokedAt: null,
      revokedBy: null,
      revokedReason: null,
      suspendedAt: null,
      suspendedReason: null,
      resumedAt: null,
      unusedWarnedAt: null,
      expiryNoticeAt: null,
      rotationIntervalSeconds: t.rotationIntervalSeconds,
      gracePeriodSeconds: t.gracePeriodSeconds,
      nextRotationAt: t.rotationIntervalSeconds ? new Date(t.now.getTime() + t.rotationIntervalSeconds * 1000) : null,
      rotatedFromId: t.rotatedFrom?.id ?? null,
      rootId: t.rotatedFrom?.rootId ?? id,
      allowedCidrs: t.allowedCidrs,
      geoMode: t.geofence.mode,
      residencyRegion: t.geofence.residencyRegion,
      allowedRegions: [...t.geofence.allowedRegions],
      allowedCountries: [...t.geofence.allowedCountries],
      rateLimit: t.rateLimit?.limit ?? null,
      rateLimitWindowSeconds: t.rateLimit?.windowSeconds ?? null,
      maxUses: t.maxUses,
      // The use budget lives on the lineage's root: a successor keeps no count of its own.
      remainingUses: t.rotatedFrom ? null : t.maxUses,
      lineageRemainingUses: t.rotatedFrom ? t.rotatedFrom.lineageRemainingUses : t.maxUses,
      metadata: t.metadata,
      consentId: t.consentId,
      dataCategories: t.dataCategories,
      lastUsedAt: null,
      lastUsedIp: null,
      lastUsedCountry: null,
      countriesSeen: [],
      lastCrossBorderAt: null,
      useCount: 0,
      createdAt: t.now,
      updatedAt: t.now,
    };
    return { entity, secret: generated.raw };
  }
}

/** Exactly one of expiresAt / expiresInSeconds; in the future; within the tenant's cap. */
export function resolveExpiry(
  input: Pick<IssueTokenInput, 'expiresAt' | 'expiresInSeconds'>,
  policy: Pick<TenantPolicyEntity, 'maxLifetimeSeconds'>,
  now: Date,
): Date {
  if ((input.expiresAt === undefined) === (input.expiresInSeconds === undefined)) {
    throw DomainError.validation([{ field: 'expiresAt', message: 'give exactly one of expiresAt or expiresInSeconds' }]);
  }
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + input.expiresInSeconds! * 1000);
  const field = input.expiresAt ? 'expiresAt' : 'expiresInSeconds';
  if (expiresAt <= now) throw DomainError.validation([{ field, message: 'must be in the future' }]);
  if (expiresAt.getTime() - now.getTime() > policy.maxLifetimeSeconds * 1000) {
    throw new DomainError(
      ErrorCode.LIFETIME_EXCEEDS_POLICY,
      `The tenant's policy caps a token's lifetime at ${policy.maxLifetimeSeconds} seconds.`,
      [{ field, message: `must be at most ${policy.maxLifetimeSeconds} seconds from now` }],
    );
  }
  return expiresAt;
}

function issuedData(t: TokenEntity): Record<string, unknown> {
  return {
    name: t.name,
    lookupId: t.lookupId,
    scopes: t.scopes,
    expiresAt: t.expiresAt.toISOString(),
    ownerServiceId: t.ownerServiceId,
    via: t.createdVia,
    ...(t.consentId ? { consentId: t.consentId, dataCategories: t.dataCategories } : {}),
    ...(t.rotatedFromId ? { rotatedFromId: t.rotatedFromId } : {}),
  };
}

/**
 * The geofence asked for on issue, the policy's default mode and residency where it asks for none, its
 * codes checked against the known countries and region groups (the tenant's own included).
 */
function geofenceOf(input: IssueTokenInput, policy: TenantGeoPolicy): TokenGeofence {
  const geofence = issuedGeofence(input, policy);
  const problems = geofenceProblems(geofence, policy.regionGroups);
  if (problems.length > 0) throw DomainError.validation(problems);
  return geofence;
}
