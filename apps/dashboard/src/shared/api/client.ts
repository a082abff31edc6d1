import { createCustosClient } from '@custos/api-client';
import { ApiError, NETWORK_ERROR_STATUS, toProblem, type Problem } from './http';
import { stepUpMiddleware } from './step-up';

/**
 * The session's CSRF token, kept from the last GET /v1/auth/session or log-in answer. Module state on purpose:
 * the client reads it on every unsafe request, whichever component sends it.
 */
let csrfToken: string | undefined;

export function rememberCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export const api = createCustosClient({ csrfToken: () => csrfToken });
// A sensitive write refused for want of a recent MFA check asks for a code and is sent again (step-up.ts).
api.use(stepUpMiddleware());

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits a call of the generated client and returns its body, or throws an ApiError carrying the
 * problem+json the API sent (or a network problem when no answer came).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: NETWORK_ERROR_STATUS,
      detail: 'Could not reach the Custos API. Check your connection and try again.',
    });
  }
  const { response } = result;
  if (!response.ok) throw new ApiError(withRetryAfter(toProblem(response.status, response.statusText, result.error), response));
  return result.data as T;
}

/** A throttled answer says when to come back (Retry-After, in seconds): the page tells the person. */
function withRetryAfter(problem: Problem, response: Response): Problem {
  const seconds = Number(response.headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? { ...problem, retryAfterSeconds: Math.ceil(seconds) } : problem;
}
