import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type GeoMode, type JsonObject, type Role } from '@custos/contracts';
import {
  DomainError,
  assertNarrowing,
  geofenceProblems,
  loosensGeofence,
  loosensRateLimit,
  type CustomRegionGroup,
  type TokenRateLimit,
  normalizeScopes,
  scopeFieldErrors,
  widenedCidrs,
  type TokenGeofence,
} from '@custos/domain';
import { ActorRepository, Database, TokenRepository, type TokenEntity, type Tx } from '@custos/persistence';
import type { ActorReads } from '../accounts/actors';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { TokenChanges } from '../feed/token-changes';
import { requireToken } from './token-lookups';
import { geofenceOfEntity, rateLimitOfEntity, tokenView, type TokenView } from './token-view';
import { PolicyService } from '../policy/policy.service';
import { Stewards } from '../stewards/stewards';

export interface PatchTokenInput {
  name?: string | undefined;
  metadata?: JsonObject | undefined;
  scopes?: string[] | undefined;
  allowedCidrs?: string[] | undefined;
  geoMode?: GeoMode | undefined;
  residencyRegion?: string | undefined;
  allowedRegions?: string[] | undefined;
  allowedCountries?: string[] | undefined;
  /** null lifts the limit. */
  rateLimit?: TokenRateLimit | null | undefined;
  /** Naming the accountable user takes custos:users:write. */
  stewardUserId?: string | undefined;
  /** Why, recorded with the audit event (an access review names its campaign). */
  reason?: string | undefined;
}

/**
 * Rename, metadata, narrower scopes, restrictions. Scopes never widen. Restrictions (the IP allow-list)
 * only narrow, except by a signed-in owner or admin: a service key or an operator that may edit tokens
 * must not lift another key's limits. Every change is recorded with its before and after.
 */
export type TokenEditorStore = Pick<TokenRepository, 'lockById' | 'update'>;

@Injectable()
export class TokenEditor {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly changes: TokenChanges,
    @Inject(TokenRepository) private readonly tokens: TokenEditorStore,
    @Inject(ActorRepository) private readonly actors: ActorReads,
    private readonly policies: PolicyService,
    private readonly stewards: Stewards,
  ) {}

  async patch(principal: Principal, tokenId: string, input: PatchTokenInput, meta: RequestMeta): Promise<TokenView> {
    requireScope(principal, 'custos:tokens:update');
    if (input.scopes) {
      const errors = scopeFieldErrors(input.scopes);
      if (errors.length > 0) throw DomainError.validation(errors);
    }
    return this.db.tenant(principal.tenantId, async (tx) => {
      const token = requireToken(await this.tokens.lockById(tx, tokenId));
      return tokenView(this.actors, tx, await this.patchLocked(tx, principal, token, input, meta), principal);
    });
  }

  /**
   * The change within the caller's transaction, on a token it has locked: what an access review's
   * narrowing goes through, its own authority checked by the review. Returns the token as changed.
   */
  async patchLocked(tx: Tx, principal: Principal, token: TokenEntity, input: PatchTokenInput, meta: RequestMeta): Promise<TokenEntity> {
    if (token.status === 'revoked' || token.status === 'expired') {
      throw DomainError.validation([], `A ${token.status} token cannot be changed.`);
    }
    const changes: Partial<TokenEntity> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const note = <K extends keyof TokenEntity>(key: K, value: TokenEntity[K]) => {
      before[key] = token[key];
      after[key] = value;
      changes[key] = value;
    };
    if (input.name !== undefined && input.name !== token.name) note('name', input.name);
    if (input.metadata !== undefined) note('metadata', input.metadata);
    if (input.scopes !== undefined) {
      const scopes = normalizeScopes(input.scopes);
      assertNarrowing(token.scopes, scopes);
      if (scopes.join() !== token.scopes.join()) note('scopes', scopes);
    }
    if (input.allowedCidrs !== undefined && input.allowedCidrs.join() !== token.allowedCidrs.join()) {
      assertMayRestrict(principal, widenedCidrs(token.allowedCidrs, input.allowedCidrs));
      note('allowedCidrs', input.allowedCidrs);
    }
    applyGeofenceChange(principal, token, input, note, (await this.policies.current(tx)).regionGroups);
    applyRateLimitChange(principal, token, input, note);
    if (input.stewardUserId !== undefined && input.stewardUserId !== token.stewardUserId) {
      note('stewardUserId', await this.stewards.named(tx, principal, input.stewardUserId));
    }
    if (Object.keys(changes).length === 0) return token;
    changes.updatedAt = new Date();
    await this.tokens.update(tx, token.id, changes);
    await this.audit.record(tx, meta, {
      action: 'token.updated',
      actor: actorOf(principal),
      target: { type: 'token', id: token.id },
      data: { changed: Object.keys(after), before, after, ...(input.reason ? { reason: input.reason } : {}) },
    });
    if (changes.scopes || changes.allowedCidrs || VERIFY_FIELDS.some((f) => f in changes)) this.changes.afterCommit(tx, changes.scopes ? 'narrowed' : 'changed', [token]);
    return { ...token, ...changes };
  }
}

/** The geofence as asked: tightening is anyone's who may edit the token; loosening, as for the IP allow-list, an owner's or admin's. */
function applyGeofenceChange(
  principal: Principal,
  token: TokenEntity,
  input: PatchTokenInput,
  note: Note,
  regionGroups: readonly CustomRegionGroup[],
): void {
  const current = geofenceOfEntity(token);
  const next: TokenGeofence = {
    mode: input.geoMode ?? current.mode,
    residencyRegion: input.residencyRegion ?? current.residencyRegion,
    allowedRegions: input.allowedRegions ?? current.allowedRegions,
    allowedCountries: input.allowedCountries ?? current.allowedCountries,
  };
  const problems = geofenceProblems(next, regionGroups);
  if (problems.length > 0) throw DomainError.validation(problems);
  if (loosensGeofence(current, next, regionGroups) && !mayWidenRestrictions(principal)) {
    throw new DomainError(
      ErrorCode.SCOPE_ESCALATION,
      'A geofence can only be tightened; this would loosen it. Issue a new token, or ask an owner or admin.',
      [{ field: 'geoMode', message: 'may only tighten the geofence' }],
    );
  }
  if (next.mode !== current.mode) note('geoMode', next.mode);
  if (next.residencyRegion !== current.residencyRegion) note('residencyRegion', next.residencyRegion);
  if (next.allowedRegions.join() !== current.allowedRegions.join()) note('allowedRegions', [...next.allowedRegions]);
  if (next.allowedCountries.join() !== current.allowedCountries.join()) note('allowedCountries', [...next.allowedCountries]);
}

/** A rate limit as asked: lowering it is anyone's who may edit the token; raising or lifting it, an owner's or admin's. */
function applyRateLimitChange(principal: Principal, token: TokenEntity, input: PatchTokenInput, note: Note): void {
  if (input.rateLimit === undefined) return;
  const current = rateLimitOfEntity(token);
  const next = input.rateLimit;
  if (next?.limit === current?.limit && next?.windowSeconds === current?.windowSeconds) return;
  if (loosensRateLimit(current, next) && !mayWidenRestrictions(principal)) {
    throw new DomainError(
      ErrorCode.SCOPE_ESCALATION,
      'A rate limit can only be lowered; this would raise or lift it. Ask an owner or admin.',
      [{ field: 'rateLimit', message: 'may only lower the rate limit' }],
    );
  }
  note('rateLimit', next?.limit ?? null);
  note('rateLimitWindowSeconds', next?.windowSeconds ?? null);
}

type Note = <K extends keyof TokenEntity>(key: K, value: TokenEntity[K]) => void;

/** Fields verify reads from its cached snapshot: changing one drops the snapshot everywhere. */
const VERIFY_FIELDS = ['geoMode', 'residencyRegion', 'allowedRegions', 'allowedCountries', 'rateLimit', 'rateLimitWindowSeconds'] as const;

function mayWidenRestrictions(principal: Principal): boolean {
  return principal.kind === 'user' && principal.role !== null && MAY_WIDEN_RESTRICTIONS.has(principal.role);
}

/** Roles whose people may widen a token's restrictions in place (everyone else issues a new token). */
const MAY_WIDEN_RESTRICTIONS: ReadonlySet<Role> = new Set<Role>(['owner', 'admin']);

function assertMayRestrict(principal: Principal, widened: readonly string[]): void {
  if (widened.length === 0 || mayWidenRestrictions(principal)) return;
  throw new DomainError(
    ErrorCode.SCOPE_ESCALATION,
    `Restrictions can only be narrowed; this would allow ${widened.join(', ')}. Issue a new token, or ask an owner or admin.`,
    [{ field: 'allowedCidrs', message: 'may only narrow the current allow-list' }],
  );
}
