import { DomainError } from '@custos/domain';
import type { ServiceEntity, TokenEntity, TokenRepository, Tx } from '@custos/persistence';

/** A token the caller named: not found in the tenant (or in no tenant) is the same answer. */
export function requireToken(token: TokenEntity | undefined): TokenEntity {
  if (!token) throw DomainError.notFound('The token');
  return token;
}

export type OwnerServices = Pick<TokenRepository, 'findOwnerService'>;

/** An unknown owner service is a field error on the request, not a missing resource. */
export async function ownerService(services: OwnerServices, tx: Tx, serviceId: string | null | undefined): Promise<ServiceEntity | null> {
  if (!serviceId) return null;
  const service = await services.findOwnerService(tx, serviceId);
  if (!service) throw DomainError.validation([{ field: 'ownerServiceId', message: 'is not a service of this tenant' }]);
  return service;
}
