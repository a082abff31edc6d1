import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import { checkRequestText } from './request-text';

/** class-validator's tree as flat `{ field, message }` pairs with dotted paths (`context.ip`, `scopes.1`). */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Nest's ValidationPipe behind the text rules of request-text.ts: every body, query and path
 * parameter of every route passes through here, so one walk over each refuses control characters
 * and pasted secrets before class-transformer or any handler sees them.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      checkRequestText(value, { source: metadata.type, name: metadata.data, dto: metadata.metatype });
    }
    return super.transform(value, metadata);
  }
}

/** Unknown fields are refused, not ignored: a typo must not silently change nothing. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
  });
}
