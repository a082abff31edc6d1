import { Injectable } from '@nestjs/common';
import { ErrorCode, type Role } from '@custos/contracts';
import { DomainError, assertCanAssignRole } from '@custos/domain';
import { PasswordHasher } from '@custos/crypto';
import { Database, UserEntity, type Tx } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { AuthService } from './auth.service';
import { toUserView, type UserView } from './views';

/**
 * People of a tenant. Nobody hands out a role holding more than they hold themselves, nor changes or
 * removes someone who holds more (only an owner touches an owner); the last owner cannot go.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly passwords: PasswordHasher,
    private readonly auth: AuthService,
  ) {}

  async create(principal: Principal, input: { email: string; password: string; role: Role }, meta: RequestMeta): Promise<UserView> {
    requireScope(principal, 'custos:users:write');
    assertCanAssignRole(principal, input.role);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.db.tenant(principal.tenantId, async (tx) => {
        const user = await this.auth.insertUser(tx, { email: input.email, passwordHash, role: input.role });
        await this.audit.record(tx, meta, {
          action: 'user.created',
          actor: actorOf(principal),
          target: { type: 'user', id: user.id },
          data: { email: user.email, role: user.role },
        });
        return toUserView(user);
      });
    } catch (error) {
      throw this.auth.translateUserConflict(error);
    }
  }

  async list(principal: Principal): Promise<UserView[]> {
    requireScope(principal, 'custos:users:read');
    const users = await this.db.tenant(principal.tenantId, (tx) =>
      tx.manager.find(UserEntity, { order: { createdAt: 'ASC', id: 'ASC' } }),
    );
    return users.map(toUserView);
  }

  async changeRole(principal: Principal, userId: string, role: Role, meta: RequestMeta): Promise<UserView> {
    requireScope(principal, 'custos:users:write');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.lockUser(tx, userId);
      assertCanAssignRole(principal, user.role);
      assertCanAssignRole(principal, role);
      if (user.role === 'owner' && role !== 'owner') await this.assertNotLastOwner(tx);
      const before = user.role;
      user.role = role;
      user.updatedAt = new Date();
      await tx.manager.update(UserEntity, { tenantId: principal.tenantId, id: userId }, { role, updatedAt: user.updatedAt });
      await this.audit.record(tx, meta, {
        action: 'user.role_changed',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { from: before, to: role },
      });
      return toUserView(user);
    });
  }

  async remove(principal: Principal, userId: string, meta: RequestMeta): Promise<void> {
    requireScope(principal, 'custos:users:write');
    await this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.lockUser(tx, userId);
      assertCanAssignRole(principal, user.role);
      if (user.role === 'owner') await this.assertNotLastOwner(tx);
      await tx.manager.delete(UserEntity, { tenantId: principal.tenantId, id: userId });
      await this.audit.record(tx, meta, {
        action: 'user.removed',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { email: user.email, role: user.role },
      });
    });
  }

  /**
   * Role changes and removals of one tenant run one at a time: the last-owner rule reads all owners,
   * and two owners demoting each other must not deadlock (they would lock rows in opposite orders).
   */
  private async serialiseMembershipChanges(tx: Tx): Promise<void> {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtextextended('custos:users:' || $1, 0))`, [tx.tenantId]);
  }

  private async lockUser(tx: Tx, userId: string): Promise<UserEntity> {
    await this.serialiseMembershipChanges(tx);
    const user = await tx.manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw DomainError.notFound('The user');
    return user;
  }

  private async assertNotLastOwner(tx: Tx): Promise<void> {
    const owners = await tx.rows<{ id: string }>(`SELECT id FROM users WHERE role = 'owner' FOR UPDATE`);
    if (owners.length <= 1) throw new DomainError(ErrorCode.CONFLICT, 'A tenant must keep at least one owner.');
  }
}
