import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@custos/contracts';
import { DomainError, assertPasswordAllowed } from '@custos/domain';
import { PasswordHasher } from '@custos/crypto';
import { Database, SessionRepository, UserRepository } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { LOGIN_THROTTLE, type LoginThrottle } from './login-throttle';

/**
 * A person changes their own password: the current one first (wrong guesses count toward the log-in
 * throttle, so a stolen session cannot be used to guess it), then the new one under the password rules.
 * A password someone else chose (an account made by API) must be changed this way at first log-in: the
 * change lifts that restriction from the person's sessions. Every other session of the person ends.
 */
@Injectable()
export class PasswordService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly passwords: PasswordHasher,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(UserRepository) private readonly users: Pick<UserRepository, 'findById' | 'setPassword'>,
    @Inject(SessionRepository) private readonly sessions: Pick<SessionRepository, 'lift' | 'deleteOfUser'>,
  ) {}

  async change(principal: Principal, input: { currentPassword: string; newPassword: string }, meta: RequestMeta): Promise<void> {
    if (principal.kind !== 'user' || !principal.sessionId) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only a person signed in to the dashboard changes their password; a service key has none.');
    }
    const user = await this.db.tenant(principal.tenantId, (tx) => this.users.findById(tx, principal.id));
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session has ended.');
    const attempt = { email: user.email, ip: meta.ip };
    const verdict = await this.throttle.attempt(attempt);
    if (!verdict.allowed) throw DomainError.rateLimited(verdict.retryAfterMs, 'Too many wrong passwords; try again later.');
    if (!(await this.passwords.verify(user.passwordHash, input.currentPassword))) {
      await this.throttle.failed(attempt, verdict);
      throw DomainError.validation([{ field: 'currentPassword', message: 'is not your current password' }], 'The current password is wrong.');
    }
    await this.throttle.succeeded(attempt);
    assertPasswordAllowed(input.newPassword, { email: user.email }, 'newPassword');
    if (await this.passwords.verify(user.passwordHash, input.newPassword)) {
      throw DomainError.validation([{ field: 'newPassword', message: 'must differ from the current password' }]);
    }
    const passwordHash = await this.passwords.hash(input.newPassword);
    const sessionId = principal.sessionId;
    await this.db.tenant(principal.tenantId, async (tx) => {
      await this.users.setPassword(tx, user.id, passwordHash, false);
      await this.sessions.lift(tx, user.id, 'password_change');
      const ended = await this.sessions.deleteOfUser(tx, user.id, sessionId);
      await this.audit.record(tx, meta, {
        action: 'auth.password_changed',
        actor: actorOf(principal),
        target: { type: 'user', id: user.id },
        data: { wasRequired: user.passwordChangeRequired, sessionsEnded: ended.length },
      });
    });
  }
}
