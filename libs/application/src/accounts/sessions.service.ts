import { Inject, Injectable } from '@nestjs/common';
import type { SessionMethod } from '@custos/contracts';
import { assertCanAssignRole, DomainError } from '@custos/domain';
import { Database, SessionRepository, UserRepository, type SessionRow } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';

/** A session as its person sees it: where it is, never its token. */
export interface SessionView {
  id: string;
  /** The session this request came with. */
  current: boolean;
  method: SessionMethod;
  device: string | null;
  /** The network the session started from (a /24 or /48), never the address. */
  ipPrefix: string | null;
  country: string | null;
  createdAt: string;
  lastSeenAt: string;
}

const toView = (s: SessionRow, currentId: string | null): SessionView => ({
  id: s.id,
  current: s.id === currentId,
  method: s.method,
  device: s.device,
  ipPrefix: s.ipPrefix,
  country: s.country,
  createdAt: s.createdAt.toISOString(),
  lastSeenAt: s.lastSeenAt.toISOString(),
});

type SessionStore = Pick<SessionRepository, 'listOfUser' | 'findOfUser' | 'delete' | 'deleteOfUser'>;

/**
 * People's sessions: each person lists and ends their own (one, or all but the one they use); an owner or
 * admin ends all of someone's (a lost laptop, a departure). Ending is at once: the next request of that
 * session finds no row. Every ending is audited.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(SessionRepository) private readonly sessions: SessionStore,
    @Inject(UserRepository) private readonly users: Pick<UserRepository, 'findById'>,
  ) {}

  async listOwn(principal: Principal): Promise<SessionView[]> {
    const userId = this.personOf(principal);
    const rows = await this.db.tenant(principal.tenantId, (tx) => this.sessions.listOfUser(tx, userId));
    return rows.map((s) => toView(s, principal.sessionId));
  }

  async endOwn(principal: Principal, sessionId: string, meta: RequestMeta): Promise<void> {
    const userId = this.personOf(principal);
    await this.db.tenant(principal.tenantId, async (tx) => {
      const session = await this.sessions.findOfUser(tx, userId, sessionId);
      if (!session) throw DomainError.notFound('The session');
      await this.sessions.delete(tx, sessionId);
      await this.audit.record(tx, meta, {
        action: 'auth.session_revoked',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { sessionIds: [sessionId], by: 'self' },
      });
    });
  }

  /** Every session of the caller but the one they use. */
  async endOtherOwn(principal: Principal, meta: RequestMeta): Promise<void> {
    const userId = this.personOf(principal);
    await this.db.tenant(principal.tenantId, async (tx) => {
      const ended = await this.sessions.deleteOfUser(tx, userId, principal.sessionId);
      if (ended.length === 0) return;
      await this.audit.record(tx, meta, {
        action: 'auth.session_revoked',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { sessionIds: ended, by: 'self' },
      });
    });
  }

  /** An owner or admin ends every session of a person whose role they could give. */
  async endAllOf(principal: Principal, userId: string, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:users:write');
    await this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.users.findById(tx, userId);
      if (!user) throw DomainError.notFound('The user');
      assertCanAssignRole(principal, user.role);
      const ended = await this.sessions.deleteOfUser(tx, userId);
      await this.audit.record(tx, meta, {
        action: 'auth.session_revoked',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { sessionIds: ended, by: 'admin' },
      });
    });
  }

  private personOf(principal: Principal): string {
    if (principal.kind !== 'user' || !principal.sessionId) throw DomainError.forbidden('Sessions belong to people signed in to the dashboard.');
    return principal.id;
  }
}
