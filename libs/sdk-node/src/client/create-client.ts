import createOpenApiClient, { type Client } from 'openapi-fetch';
import type { paths } from '@custos/api-client/generated/openapi';
import { retryingFetch, type FetchRequest } from './retrying-fetch';
import { DEFAULT_RETRY_POLICY } from './retry-policy';

export type { components, operations, paths } from '@custos/api-client/generated/openapi';

export type CustosRestClient = Client<paths>;

export interface ClientOptions {
  /** Origin of the Custos API, e.g. `https://custos.internal.example`. */
  baseUrl: string;
  /** A service key (`Authorization: Bearer`); its scopes decide which routes answer. */
  serviceKey: string;
  fetch?: FetchRequest;
  /** Attempts in all for a request answered 429 or 503 (default 3). */
  retries?: number;
  /** The longest wait between two attempts, whatever `Retry-After` asks (default 30 s). */
  maxRetryDelayMs?: number;
}

/**
 * A typed client for the whole REST API, from the API's OpenAPI document: `client.GET('/v1/tokens', ...)`
 * answers `{ data, error, response }`, with `error` the problem+json body of a refusal.
 */
export function createClient(options: ClientOptions): CustosRestClient {
  const send = options.fetch ?? ((request: Request) => fetch(request));
  return createOpenApiClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${options.serviceKey}`, Accept: 'application/json, application/problem+json' },
    fetch: retryingFetch(send, {
      attempts: options.retries ?? DEFAULT_RETRY_POLICY.attempts,
      maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    }),
  });
}
