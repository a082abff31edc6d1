import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import { StewardRepository, type OpeningRead, type Tx } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { requireScope } from '../shared/require-scope';

export type StewardReads = Pick<StewardRepository, 'defaultFor' | 'defaultOpening' | 'isUser'>;

/**
 * Who is accountable for a token or service (issue 17). Naming a steward is an owner's or admin's act
 * (custos:users:write, which only they hold); otherwise it is whoever made it, or for a service key the
 * steward of its service (else of the key itself).
 */
@Injectable()
export class Stewards {
  constructor(@Inject(StewardRepository) private readonly stewards: StewardReads) {}

  /** The steward to record: the one named (checked), else the default for the principal. */
  async resolve(tx: Tx, principal: Principal, named: string | undefined): Promise<string | null> {
    if (named !== undefined) return this.named(tx, principal, named);
    return principal.kind === 'user' ? principal.id : this.defaultFor(tx, principal.id);
  }

  /** What resolve() will read, to send with BEGIN (TenantWorkOptions.opening): the default steward of a service key. */
  opening(principal: Principal, named: string | undefined): OpeningRead[] {
    const read = named === undefined && principal.kind !== 'user' ? this.stewards.defaultOpening(principal.id) : null;
    return read ? [read] : [];
  }

  /** Once per transaction and principal: the issues a group commit puts in one transaction mostly come from one service key. */
  private defaultFor(tx: Tx, createdBy: string): Promise<string | null> {
    return tx.once(`default-steward:${createdBy}`, () => this.stewards.defaultFor(tx, createdBy));
  }

  /** A steward someone names: they must be allowed to, and it must be a user of the tenant. */
  async named(tx: Tx, principal: Principal, userId: string): Promise<string> {
    requireScope(principal, 'custos:users:write');
    if (!(await this.stewards.isUser(tx, userId))) {
      throw DomainError.validation([{ field: 'stewardUserId', message: 'is not a user of this organization' }]);
    }
    return userId;
  }
}
