import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, type Role } from '@custos/contracts';
import { DomainError, assertCanAssignRole, assertPasswordAllowed } from '@custos/domain';
import { PasswordHasher } from '@custos/crypto';
import { Database, StewardRepository, UserRepository, type Tx, type UserEntity } from '@custos/persistence';
import { AuditLog, actorOf } from '../audit/audit-log';
import type { Principal, RequestMeta } from '../auth/principal';
import { requireScope } from '../shared/require-scope';
import { assertSteppedUp } from '../auth/step-up';
import { userConflict } from './user-conflict';
import { toUserView, type UserView } from './views';

export type Membership = Pick<UserRepository, 'insert' | 'list' | 'lockForMembershipChange' | 'lockOwners' | 'setRole' | 'delete'>;

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
    @Inject(UserRepository) private readonly users: Membership,
    @Inject(StewardRepository) private readonly stewards: Pick<StewardRepository, 'stewardedBy' | 'reassign' | 'isUser'>,
  ) {}

  /**
   * Adds a person with a password chosen by the caller (for automation; people are invited instead): the
   * password rules apply, and the person must change it at their first log-in.
   */
  async create(principal: Principal, input: { email: string; password: string; role: Role }, meta: RequestMeta): Promise<UserView> {
    requireScope(principal, 'custos:users:write');
    assertCanAssignRole(principal, input.role);
    assertPasswordAllowed(input.password, { email: input.email });
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.db.tenant(principal.tenantId, async (tx) => {
        const user = await this.users.insert(tx, { email: input.email, passwordHash, role: input.role, passwordChangeRequired: true });
        await this.audit.record(tx, meta, {
          action: 'user.created',
          actor: actorOf(principal),
          target: { type: 'user', id: user.id },
          data: { email: user.email, role: user.role, passwordChangeRequired: true },
        });
        return toUserView(user);
      });
    } catch (error) {
      throw userConflict(error);
    }
  }

  async list(principal: Principal): Promise<UserView[]> {
    requireScope(principal, 'custos:users:read');
    const users = await this.db.tenant(principal.tenantId, (tx) => this.users.list(tx));
    return users.map(toUserView);
  }

  async changeRole(principal: Principal, userId: string, role: Role, meta: RequestMeta): Promise<UserView> {
    requireScope(principal, 'custos:users:write');
    assertSteppedUp(principal);
    return this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.lockUser(tx, userId);
      assertCanAssignRole(principal, user.role);
      assertCanAssignRole(principal, role);
      if (user.role === 'owner' && role !== 'owner') await this.assertNotLastOwner(tx);
      const before = user.role;
      user.role = role;
      user.updatedAt = new Date();
      await this.users.setRole(tx, userId, role, user.updatedAt);
      await this.audit.record(tx, meta, {
        action: 'user.role_changed',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { from: before, to: role },
      });
      return toUserView(user);
    });
  }

  /**
   * Removes the person. What they steward (tokens, services) and the review items waiting for them go to `successor` in the same
   * transaction; without one, removing someone who stewards anything is refused (409, with the counts)
   * and nothing changes: no token is ever left without an accountable person.
   */
  async remove(principal: Principal, userId: string, meta: RequestMeta, successor?: string): Promise<void> {
    requireScope(principal, 'custos:users:write');
    assertSteppedUp(principal);
    await this.db.tenant(principal.tenantId, async (tx) => {
      const user = await this.lockUser(tx, userId);
      assertCanAssignRole(principal, user.role);
      if (user.role === 'owner') await this.assertNotLastOwner(tx);
      const stewarded = await this.stewards.stewardedBy(tx, userId);
      if (successor !== undefined && (successor === userId || !(await this.stewards.isUser(tx, successor)))) {
        throw DomainError.validation([{ field: 'successor', message: 'must be another user of this organization' }]);
      }
      if (stewarded.tokens + stewarded.services + stewarded.pendingReviews > 0) {
        if (successor === undefined) {
          const reviews = stewarded.pendingReviews > 0 ? `, and reviews ${stewarded.pendingReviews} pending access review item${stewarded.pendingReviews === 1 ? '' : 's'}` : '';
          const what = `${stewarded.tokens} token${stewarded.tokens === 1 ? '' : 's'} and ${stewarded.services} service${stewarded.services === 1 ? '' : 's'}${reviews}`;
          throw new DomainError(ErrorCode.CONFLICT, `The user is the steward of ${what}: name a successor to hand them to.`, [
            { field: 'successor', message: `is required: the user stewards ${what}` },
          ]);
        }
        await this.stewards.reassign(tx, userId, successor);
      }
      await this.users.delete(tx, userId);
      await this.audit.record(tx, meta, {
        action: 'user.removed',
        actor: actorOf(principal),
        target: { type: 'user', id: userId },
        data: { email: user.email, role: user.role, ...(successor !== undefined ? { successor, stewarded } : {}) },
      });
    });
  }

  /** Role changes and removals of one tenant run one at a time (see lockForMembershipChange). */
  private async lockUser(tx: Tx, userId: string): Promise<UserEntity> {
    const user = await this.users.lockForMembershipChange(tx, userId);
    if (!user) throw DomainError.notFound('The user');
    return user;
  }

  private async assertNotLastOwner(tx: Tx): Promise<void> {
    const owners = await this.users.lockOwners(tx);
    if (owners.length <= 1) throw new DomainError(ErrorCode.CONFLICT, 'A tenant must keep at least one owner.');
  }
}
