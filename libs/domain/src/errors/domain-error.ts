import { ErrorCode, type FieldError } from '@custos/contracts';

/** The one error type the application throws on purpose; apps map its code to a transport. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(fieldErrors: readonly FieldError[], message = 'The request is not valid.'): DomainError {
    return new DomainError(ErrorCode.VALIDATION_FAILED, message, fieldErrors);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, `${what} was not found.`);
  }

  static forbidden(message: string): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }
}
