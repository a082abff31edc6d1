import type { Schemas } from '@custos/api-client';

/**
 * The dashboard's one error shape: every failed API call (see client.ts) becomes an ApiError carrying
 * an RFC 9457 problem, so components render errors one way. The API documents its problem+json as the
 * ProblemDetails schema; Problem is that shape loosened, since a failure that never reached the API
 * (offline, a proxy's HTML page) is turned into one too.
 */

export type FieldProblem = Schemas['FieldError'];

/** An RFC 9457 problem as the API sends it (application/problem+json), or as made from a bare status. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldProblem[];
  /** From the Retry-After header of a 429: seconds until asking again can succeed. */
  retryAfterSeconds?: number;
}

/** Status 0: the request never got an answer (offline, API down, blocked). */
export const NETWORK_ERROR_STATUS = 0;

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** Messages for one form field; the API may name it `email`, `body.email`, or an item as `scopes.0`. */
  fieldErrors(field: string): string[] {
    return (this.problem.errors ?? []).filter((e) => matchesField(e.field, field)).map((e) => e.message);
  }

  /** Field errors that none of the given fields will show next to itself. */
  otherFieldErrors(shownFields: readonly string[]): FieldProblem[] {
    return (this.problem.errors ?? []).filter((e) => !shownFields.some((field) => matchesField(e.field, field)));
  }
}

/** The API names a field, a path ending in it (`body.email`), or an item of it (`scopes.0`). */
function matchesField(reported: string, field: string): boolean {
  return reported === field || reported.endsWith(`.${field}`) || reported.startsWith(`${field}.`);
}

/** The API's problem+json if the body is one; otherwise a plain problem built from the status. */
export function toProblem(status: number, statusText: string, body: unknown): Problem {
  if (isRecord(body) && typeof body.title === 'string') {
    return {
      type: typeof body.type === 'string' ? body.type : 'about:blank',
      title: body.title,
      status: typeof body.status === 'number' ? body.status : status,
      ...(typeof body.detail === 'string' ? { detail: body.detail } : {}),
      ...(typeof body.code === 'string' ? { code: body.code } : {}),
      ...(typeof body.requestId === 'string' ? { requestId: body.requestId } : {}),
      ...(Array.isArray(body.errors) ? { errors: body.errors.filter(isFieldProblem) } : {}),
    };
  }
  return {
    type: 'about:blank',
    title: statusText || 'Request failed',
    status,
    detail: `The API answered with HTTP ${status}.`,
  };
}

function isFieldProblem(value: unknown): value is FieldProblem {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
