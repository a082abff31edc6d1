import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './generated/openapi.js';

export type { components, operations, paths };

/** Request and response bodies of the API, by schema name (e.g. `Schemas['TokenResponse']`). */
export type Schemas = components['schemas'];

/** Query parameters of a GET operation, by path. */
export type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

export type CustosClient = Client<paths>;

export const CSRF_HEADER = 'X-CSRF-Token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface CustosClientOptions {
  /** Origin of the API; empty for the page's own origin (the dashboard is served by the API). */
  baseUrl?: string;
  /** The session's CSRF token, read at request time: it changes with every log-in. */
  csrfToken?: () => string | undefined;
  fetch?: (input: Request) => Promise<Response>;
}

/**
 * A typed client over the API's OpenAPI document. It sends the session cookie and, on state-changing
 * requests, the session's CSRF token; it leaves errors to the caller, who gets the problem+json body
 * as `error` and the `response`.
 */
export function createCustosClient(options: CustosClientOptions = {}): CustosClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    credentials: 'include',
    headers: { Accept: 'application/json, application/problem+json' },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const csrf: Middleware = {
    onRequest({ request }) {
      const token = options.csrfToken?.();
      if (token && UNSAFE_METHODS.has(request.method)) request.headers.set(CSRF_HEADER, token);
      return request;
    },
  };
  client.use(csrf);
  return client;
}
