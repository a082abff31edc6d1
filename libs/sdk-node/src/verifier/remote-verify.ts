import { type CustosEndpoint, jsonPost, problemOf } from './custos-endpoint';
import { CustosRequestError, type VerifyAnswer, type VerifyRequest } from './verify-types';

/** `POST /v1/verify`, asking for the cache hint that lets later verifies of the token be decided here. */
export async function remoteVerify(endpoint: CustosEndpoint, token: string, request: VerifyRequest): Promise<VerifyAnswer> {
  const context = request.ip !== undefined || request.resource !== undefined ? { ip: request.ip, resource: request.resource } : undefined;
  const response = await endpoint.fetch(jsonPost(endpoint, '/v1/verify', { token, scopes: request.scopes, context, cache: true }));
  if (!response.ok) throw new CustosRequestError(response.status, await problemOf(response));
  return (await response.json()) as VerifyAnswer;
}
