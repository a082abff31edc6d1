import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@custos/contracts';
import { DomainError } from '@custos/domain';

/** class-validator's tree as flat `{ field, message }` pairs with dotted paths (`context.ip`, `scopes.1`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Unknown fields are refused, not ignored: a typo must not silently change nothing. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
  });
}
