import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type AuditAction, type TokenFeedKind } from '@custos/contracts';
import { DomainError, assertCanGrant, canTransition, nextStatus, type LifecycleAction } from '@custos/domain';
import { ActorRepository, Database, TokenRepository, type TokenEntity, type Tx } from '@custos/persistence';
import type { ActorReads } from '../accounts/actors';
import { AuditLog, actorOf, type AuditActor } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { TokenChanges } from '../feed/token-changes';
import { requireToken } from './token-lookups';
import { tokenView, tokenViews, type TokenView } from './token-view';

export const MAX_BULK_REVOKE = 1000;

const AUDIT_ACTION_OF: Readonly<Record<Extract<LifecycleAction, 'revoke' | 'suspend' | 'resume'>, AuditAction>> = {
  revoke: 'token.revoked',
  suspend: 'token.suspended',
  resume: 'token.resumed',
};

const FEED_KIND_OF: Readonly<Record<Extract<LifecycleAction, 'revoke' | 'suspend' | 'resume'>, TokenFeedKind>> = {
  revoke: 'revoked',
  suspend: 'suspended',
  resume: 'resumed',
};

export type TokenLifecycleStore = Pick<TokenRepository, 'lockById' | 'lockByIds' | 'update' | 'revokeAll'>;

/** Suspend, resume and revoke: each change and its audit event commit together, then caches drop it. */
@Injectable()
export class TokenLifecycle {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly changes: TokenChanges,
    @Inject(TokenRepository) private readonly tokens: TokenLifecycleStore,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  revoke(principal: Principal, tokenId: string, reason: string, meta: RequestMeta): Promise<TokenView> {
    requireScope(principal, 'custos:tokens:revoke');
    return this.change(principal, tokenId, 'revoke', meta, (now) => ({
      revokedAt: now,
      revokedBy: principal.id,
      revokedReason: reason,
    }), { reason });
  }

  suspend(principal: Principal, tokenId: string, meta: RequestMeta, reason?: string): Promise<TokenView> {
    requireScope(principal, 'custos:tokens:update');
    return this.change(principal, tokenId, 'suspend', meta, (now) => ({ suspendedAt: now, suspendedReason: 'manual' }), reason ? { reason } : {});
  }

  /**
   * Resuming a service key brings its permissions back to life, so, as when issuing or rotating it,
   * the caller must hold every custos scope on it.
   */
  resume(principal: Principal, tokenId: string, meta: RequestMeta): Promise<TokenView> {
    requireScope(principal, 'custos:tokens:update');
    return this.change(principal, tokenId, 'resume', meta, (now) => ({ suspendedAt: null, suspendedReason: null, resumedAt: now }), {}, (token) =>
      assertCanGrant({ requested: token.scopes, callerScopes: principal.scopes, serviceAllowedScopes: null }),
    );
  }

  /** All or nothing: every id must exist in the tenant and be revocable, or nothing changes. */
  async revokeMany(principal: Principal, ids: readonly string[], reason: string, meta: RequestMeta): Promise<TokenView[]> {
    requireScope(principal, 'custos:tokens:revoke');
    const unique = [...new Set(ids)];
    if (unique.length === 0 || unique.length > MAX_BULK_REVOKE) {
      throw DomainError.validation([{ field: 'ids', message: `give between 1 and ${MAX_BULK_REVOKE} token ids` }]);
    }
    return this.db.tenant(principal.tenantId, async (tx) => {
      const tokens = await this.tokens.lockByIds(tx, unique);
      const found = new Set(tokens.map((t) => t.id));
      const missing = unique.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw new DomainError(ErrorCode.NOT_FOUND, `${missing.length} of the tokens were not found; nothing was revoked.`,
          missing.slice(0, 50).map((id) => ({ field: 'ids', message: `${id} was not found` })));
      }
      const final = tokens.filter((t) => !canTransition(t.status, 'revoke'));
      if (final.length > 0) {
        throw new DomainError(ErrorCode.INVALID_TRANSITION, `${final.length} of the tokens are already ${final[0]!.status}; nothing was revoked.`,
          final.slice(0, 50).map((t) => ({ field: 'ids', message: `${t.id} is ${t.status}` })));
      }
      const now = new Date();
      await this.tokens.revokeAll(tx, unique, { at: now, by: principal.id, reason });
      await this.audit.record(
        tx,
        meta,
        ...tokens.map((t) => ({
          action: 'token.revoked' as const,
          actor: actorOf(principal),
          target: { type: 'token', id: t.id },
          data: { reason, from: t.status, bulk: true },
        })),
      );
      this.changes.afterCommit(tx, 'revoked', tokens);
      const revoked = tokens.map((t) => ({ ...t, status: 'revoked' as const, revokedAt: now, revokedBy: principal.id, revokedReason: reason, updatedAt: now }));
      return tokenViews(this.actors, tx, revoked, principal);
    });
  }

  private change(
    principal: Principal,
    tokenId: string,
    action: Extract<LifecycleAction, 'revoke' | 'suspend' | 'resume'>,
    meta: RequestMeta,
    fields: (now: Date) => Partial<TokenEntity>,
    data: Record<string, unknown>,
    allowed: (token: TokenEntity) => void = () => undefined,
  ): Promise<TokenView> {
    return this.db.tenant(principal.tenantId, async (tx) => {
      const token = requireToken(await this.tokens.lockById(tx, tokenId));
      allowed(token);
      const changed = await this.applyLocked(tx, token, action, { actor: actorOf(principal), meta, fields, data });
      return tokenView(this.actors, tx, changed, principal);
    });
  }

  /**
   * Suspends or revokes a token the caller's transaction has locked, with its audit event, and drops it
   * from every cache once committed: what an access review's decision or overdue pass does.
   */
  async applyLocked(tx: Tx, token: TokenEntity, action: Extract<LifecycleAction, 'revoke' | 'suspend' | 'resume'>, change: LockedChange): Promise<TokenEntity> {
    const from = token.status;
    const now = new Date();
    const changes = { ...change.fields(now), status: nextStatus(from, action), updatedAt: now };
    await this.tokens.update(tx, token.id, changes);
    await this.audit.record(tx, change.meta, {
      action: AUDIT_ACTION_OF[action],
      actor: change.actor,
      target: { type: 'token', id: token.id },
      data: { ...change.data, from },
    });
    this.changes.afterCommit(tx, FEED_KIND_OF[action], [token]);
    return { ...token, ...changes };
  }
}

/** A lifecycle change as applyLocked takes it: who, the request, the fields it sets, what the audit event adds. */
export interface LockedChange {
  actor: AuditActor;
  meta: RequestMeta;
  fields: (now: Date) => Partial<TokenEntity>;
  data: Record<string, unknown>;
}
