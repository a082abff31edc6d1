import type { FetchRequest } from '../client/retrying-fetch';

/** Where and how the verifier reaches Custos: one base URL, one service key, one fetch. */
export interface CustosEndpoint {
  baseUrl: string;
  serviceKey: string;
  fetch: FetchRequest;
}

export function endpointRequest(endpoint: CustosEndpoint, path: string, init: RequestInit): Request {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${endpoint.serviceKey}`);
  return new Request(endpoint.baseUrl + path, { ...init, headers });
}

export function jsonPost(endpoint: CustosEndpoint, path: string, body: unknown): Request {
  return endpointRequest(endpoint, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
    body: JSON.stringify(body),
  });
}

export async function problemOf(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
