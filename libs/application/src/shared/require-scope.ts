import { ErrorCode, type CustosScope } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { Principal } from '../auth/principal';

/** Use cases re-check what the HTTP guard already checked: the worker and tests call them directly. */
export function requireScope(principal: Principal, scope: CustosScope): void {
  if (!principal.scopes.includes(scope)) throw scopeRefusal(scope);
}

export function scopeRefusal(scope: CustosScope): DomainError {
  return new DomainError(ErrorCode.FORBIDDEN, `This needs the ${scope} permission.`);
}
