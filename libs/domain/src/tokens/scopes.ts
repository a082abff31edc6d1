import { CUSTOS_SCOPE_PREFIX, CUSTOS_SCOPES, ErrorCode, type FieldError } from '@custos/contracts';
import { DomainError } from '../errors/domain-error';

export const SCOPE_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,127}$/;
const KNOWN_CUSTOS_SCOPES: ReadonlySet<string> = new Set(CUSTOS_SCOPES);

export function isCustosScope(scope: string): boolean {
  return scope.startsWith(CUSTOS_SCOPE_PREFIX);
}

export function scopeFieldErrors(scopes: readonly string[], field = 'scopes'): FieldError[] {
  const errors: FieldError[] = [];
  scopes.forEach((scope, i) => {
    if (!SCOPE_PATTERN.test(scope)) {
      errors.push({ field: `${field}[${i}]`, message: `must match ${SCOPE_PATTERN.source}` });
    } else if (isCustosScope(scope) && !KNOWN_CUSTOS_SCOPES.has(scope)) {
      errors.push({ field: `${field}[${i}]`, message: `unknown Custos scope "${scope}"` });
    }
  });
  return errors;
}

export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)].sort();
}

export function missingScopes(required: readonly string[], held: readonly string[]): string[] {
  const have = new Set(held);
  return required.filter((scope) => !have.has(scope));
}

/**
 * Nobody grants what it does not hold: custos scopes only by a caller holding them, and a service's
 * tokens only within the service's allowed scopes.
 */
export function assertCanGrant(input: {
  requested: readonly string[];
  callerScopes: readonly string[];
  serviceAllowedScopes: readonly string[] | null;
}): void {
  const custos = input.requested.filter(isCustosScope);
  const notHeld = missingScopes(custos, input.callerScopes);
  if (notHeld.length > 0) {
    throw new DomainError(ErrorCode.SCOPE_ESCALATION, `You cannot grant scopes you do not hold: ${notHeld.join(', ')}.`);
  }
  if (input.serviceAllowedScopes) {
    const outside = missingScopes(input.requested, input.serviceAllowedScopes);
    if (outside.length > 0) {
      throw new DomainError(
        ErrorCode.SCOPE_ESCALATION,
        `The owner service may not hold these scopes: ${outside.join(', ')}.`,
      );
    }
  }
}

/** PATCH may only narrow: every new scope must already be on the token. */
export function assertNarrowing(current: readonly string[], next: readonly string[]): void {
  const added = missingScopes(next, current);
  if (added.length > 0) {
    throw new DomainError(ErrorCode.SCOPE_ESCALATION, `Scopes can only be narrowed; not on the token: ${added.join(', ')}.`, [
      { field: 'scopes', message: `may only remove scopes; not on the token: ${added.join(', ')}` },
    ]);
  }
}
