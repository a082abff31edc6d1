/**
 * The one place the dashboard talks HTTP. Every request goes to the same origin with the session
 * cookie; every failure becomes an ApiError carrying an RFC 9457 problem, so components render one
 * error shape. (A later issue replaces the hand-written request types with a client generated from the
 * API's OpenAPI document; this transport stays.)
 */

export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem as the API sends it (application/problem+json). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: FieldProblem[];
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

  /** Messages for one form field; the API may name it `email` or by a path ending in `.email`. */
  fieldErrors(field: string): string[] {
    return (this.problem.errors ?? []).filter((e) => matchesField(e.field, field)).map((e) => e.message);
  }

  /** Field errors that none of the given fields will show next to itself. */
  otherFieldErrors(shownFields: readonly string[]): FieldProblem[] {
    return (this.problem.errors ?? []).filter((e) => !shownFields.some((field) => matchesField(e.field, field)));
  }
}

function matchesField(reported: string, field: string): boolean {
  return reported === field || reported.endsWith(`.${field}`);
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. */
  body?: unknown;
  /** The session's CSRF token, required by the API on state-changing requests of a signed-in user. */
  csrfToken?: string;
  signal?: AbortSignal;
}

/** Sends a request; resolves with any HTTP answer, rejects with an ApiError only when none came back. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json, application/problem+json' });
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (options.csrfToken !== undefined) headers.set('X-CSRF-Token', options.csrfToken);
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: NETWORK_ERROR_STATUS,
      detail: 'Could not reach the Custos API. Check your connection and try again.',
    });
  }
}

/** Reads a JSON body; an empty body (204, or a 200 with nothing) reads as undefined. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Sends a request and returns its JSON body, typed by the caller (the types are hand-written per
 * feature for now). Any non-2xx answer rejects with an ApiError.
 */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  const body = await readJson(response);
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, body));
  return body as T;
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
