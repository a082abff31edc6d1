import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode, type FieldError as FieldErrorView } from '@custos/contracts';
import { DomainError } from '@custos/domain';
import type { Mirror } from './mirror';

export class FieldError implements Mirror<FieldErrorView, FieldError> {
  @ApiProperty({ example: 'scopes.0', description: 'A dotted path into the body, or a query or path parameter.' }) field!: string;
  @ApiProperty({ example: 'each value must match ^[a-z0-9][a-z0-9_.:-]{0,127}$' }) message!: string;
}

/**
 * RFC 9457 body of every error this API answers with (application/problem+json). A class, so the
 * OpenAPI document's ProblemDetails schema, which every error response refers to, is this type.
 */
export class ProblemDetails {
  @ApiProperty({ example: 'https://custos.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'The request is not valid' }) title!: string;
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status.' }) status!: number;
  @ApiProperty({ example: 'The request is not valid.', description: 'What went wrong here, for a person to read.' }) detail!: string;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', description: 'Stable: what a program branches on.' }) code!: ErrorCode;
  @ApiProperty({ type: String, nullable: true, description: 'The x-request-id of the answer, to quote when asking for help.' })
  requestId!: string | null;
  @ApiPropertyOptional({ type: [FieldError], description: 'The fields that were refused, each with the reason.' }) errors?: FieldError[];
}

const TYPE_BASE = 'https://custos.dev/problems/';

function assertUnreachable(value: never): never {
  throw new Error(`unmapped error code ${String(value)}`);
}

/** The one mapping from domain codes to HTTP. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.SECRET_IN_TEXT:
    case ErrorCode.LIFETIME_EXCEEDS_POLICY:
    case ErrorCode.CONSENT_REQUIRED:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.INVALID_MFA:
      return 401;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.SCOPE_ESCALATION:
    case ErrorCode.CSRF_FAILED:
    case ErrorCode.STEP_UP_REQUIRED:
    case ErrorCode.MFA_ENROLMENT_REQUIRED:
    case ErrorCode.PASSWORD_CHANGE_REQUIRED:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.EMAIL_TAKEN:
    case ErrorCode.CONFLICT:
    case ErrorCode.INVALID_TRANSITION:
    case ErrorCode.CONSENT_INACTIVE:
      return 409;
    case ErrorCode.ALREADY_FETCHED:
      return 410;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
    default:
      return assertUnreachable(code);
  }
}

const TITLES: Record<ErrorCode, string> = {
  [ErrorCode.VALIDATION_FAILED]: 'The request is not valid',
  [ErrorCode.SECRET_IN_TEXT]: 'A text field carries a secret',
  [ErrorCode.LIFETIME_EXCEEDS_POLICY]: "The lifetime exceeds the tenant's policy",
  [ErrorCode.CONSENT_REQUIRED]: 'A consent is required',
  [ErrorCode.UNAVAILABLE]: 'Temporarily unavailable',
  [ErrorCode.CONSENT_INACTIVE]: 'The consent is not in force',
  [ErrorCode.UNAUTHENTICATED]: 'Authentication is required',
  [ErrorCode.INVALID_CREDENTIALS]: 'The credentials are wrong',
  [ErrorCode.CSRF_FAILED]: 'The CSRF token is missing or wrong',
  [ErrorCode.INVALID_MFA]: 'The second factor is wrong',
  [ErrorCode.STEP_UP_REQUIRED]: 'A recent MFA check is required',
  [ErrorCode.MFA_ENROLMENT_REQUIRED]: 'Enrol a second factor first',
  [ErrorCode.PASSWORD_CHANGE_REQUIRED]: 'Change your password first',
  [ErrorCode.FORBIDDEN]: 'Not allowed',
  [ErrorCode.SCOPE_ESCALATION]: 'Scopes cannot be widened or granted beyond your own',
  [ErrorCode.NOT_FOUND]: 'Not found',
  [ErrorCode.EMAIL_TAKEN]: 'The e-mail is already registered',
  [ErrorCode.CONFLICT]: 'Conflict',
  [ErrorCode.INVALID_TRANSITION]: 'The token cannot make this change',
  [ErrorCode.ALREADY_FETCHED]: 'Already handed over',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The request body is too large',
  [ErrorCode.RATE_LIMITED]: 'Too many requests',
  [ErrorCode.INTERNAL]: 'Internal error',
};

export function problemOf(error: DomainError, requestId: string | null): ProblemDetails {
  return {
    type: TYPE_BASE + error.code.toLowerCase().replace(/_/g, '-'),
    title: TITLES[error.code],
    status: httpStatusOf(error.code),
    detail: error.message,
    code: error.code,
    requestId,
    ...(error.fieldErrors.length > 0 ? { errors: [...error.fieldErrors] } : {}),
  };
}

/** Errors raised below the domain (framework, parser, throttler) expressed as domain errors by status. */
export function domainErrorForStatus(status: number, message: string): DomainError {
  const byStatus: Record<number, [ErrorCode, string]> = {
    400: [ErrorCode.VALIDATION_FAILED, message || 'The request is not valid.'],
    401: [ErrorCode.UNAUTHENTICATED, 'Authentication is required.'],
    403: [ErrorCode.FORBIDDEN, 'Not allowed.'],
    404: [ErrorCode.NOT_FOUND, 'No such resource.'],
    413: [ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large.'],
    415: [ErrorCode.VALIDATION_FAILED, 'Send JSON with Content-Type: application/json.'],
    429: [ErrorCode.RATE_LIMITED, 'Too many requests; slow down.'],
  };
  const [code, detail] = byStatus[status] ?? [ErrorCode.INTERNAL, 'Something went wrong on our side.'];
  return new DomainError(code, detail);
}
