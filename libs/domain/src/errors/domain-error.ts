import { ErrorCode, type FieldError } from '@custos/contracts';

/** The one error type the application throws on purpose; apps map its code to a transport. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
    /** For RATE_LIMITED: when the caller may try again (HTTP `Retry-After`). */
    readonly retryAfterSeconds?: number,
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

  static rateLimited(retryAfterMs: number, message = 'Too many attempts; try again later.'): DomainError {
    return new DomainError(ErrorCode.RATE_LIMITED, message, [], Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }

  static forbidden(message: string): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }
}
