import { DomainError } from '@custos/domain';
import { ServiceEntity, TokenEntity, type Tx } from '@custos/persistence';

/** Reads shared by the token use cases, always inside the caller's tenant transaction. */
export async function lockToken(tx: Tx, id: string): Promise<TokenEntity> {
  const token = await tx.manager.findOne(TokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!token) throw DomainError.notFound('The token');
  return token;
}

export async function findToken(tx: Tx, id: string): Promise<TokenEntity> {
  const token = await tx.manager.findOneBy(TokenEntity, { id });
  if (!token) throw DomainError.notFound('The token');
  return token;
}

/** An unknown owner service is a field error on the request, not a missing resource. */
export async function ownerService(tx: Tx, serviceId: string | null | undefined): Promise<ServiceEntity | null> {
  if (!serviceId) return null;
  const service = await tx.manager.findOneBy(ServiceEntity, { id: serviceId });
  if (!service) throw DomainError.validation([{ field: 'ownerServiceId', message: 'is not a service of this tenant' }]);
  return service;
}

const INSERT_COLUMNS = [
  'tenant_id', 'id', 'kind', 'name', 'environment', 'owner_service_id', 'created_by', 'created_via', 'lookup_id',
  'secret_hash', 'pepper_id', 'last4', 'scopes', 'status', 'not_before', 'expires_at', 'rotation_interval_seconds',
  'grace_period_seconds', 'next_rotation_at', 'rotated_from_id', 'root_id', 'allowed_cidrs', 'max_uses',
  'remaining_uses', 'metadata', 'consent_id', 'data_categories', 'created_at', 'updated_at',
] as const;
const INSERT_SQL = `INSERT INTO tokens (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/** A plain parameterised INSERT: issuing is a hot path, and the entity is already complete. */
export async function insertToken(tx: Tx, t: TokenEntity): Promise<void> {
  const { sql, params } = tokenInsert(t);
  await tx.rows(sql, params);
}

/** The INSERT as a statement, to run together with its audit event (AuditLog.recordWith). */
export function tokenInsert(t: TokenEntity): { sql: string; params: unknown[] } {
  return { sql: INSERT_SQL, params: insertParams(t) };
}

/** One INSERT of several tokens (an issue batch). */
export function tokenInserts(tokens: readonly TokenEntity[]): { sql: string; params: unknown[] } {
  if (tokens.length === 1) return tokenInsert(tokens[0]!);
  const width = INSERT_COLUMNS.length;
  const rows = tokens.map((_, r) => `(${INSERT_COLUMNS.map((_c, i) => `$${r * width + i + 1}`).join(', ')})`);
  return { sql: `INSERT INTO tokens (${INSERT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params: tokens.flatMap(insertParams) };
}

function insertParams(t: TokenEntity): unknown[] {
  return [
    t.tenantId, t.id, t.kind, t.name, t.environment, t.ownerServiceId, t.createdBy, t.createdVia, t.lookupId,
    t.secretHash, t.pepperId, t.last4, t.scopes, t.status, t.notBefore, t.expiresAt, t.rotationIntervalSeconds,
    t.gracePeriodSeconds, t.nextRotationAt, t.rotatedFromId, t.rootId, t.allowedCidrs, t.maxUses, t.remainingUses,
    JSON.stringify(t.metadata), t.consentId, t.dataCategories, t.createdAt, t.updatedAt,
  ];
}

/** UPDATE of the given properties, mapped to columns through the entity's metadata. */
export async function updateToken(tx: Tx, id: string, changes: Partial<TokenEntity>): Promise<void> {
  const metadata = tx.manager.connection.getMetadata(TokenEntity);
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [property, value] of Object.entries(changes)) {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`tokens has no property ${property}`);
    params.push(column.type === 'jsonb' ? JSON.stringify(value) : value);
    sets.push(`${column.databaseName} = $${params.length}`);
  }
  if (sets.length > 0) await tx.rows(`UPDATE tokens SET ${sets.join(', ')} WHERE id = $1`, params);
}
