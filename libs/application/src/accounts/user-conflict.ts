import { ErrorCode } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '@custos/persistence';

/** An e-mail is unique across all tenants: a second account with it is a field error, anything else passes through. */
export function userConflict(error: unknown): unknown {
  if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
    return new DomainError(ErrorCode.EMAIL_TAKEN, 'An account with this e-mail already exists.', [
      { field: 'email', message: 'is already registered' },
    ]);
  }
  return error;
}
