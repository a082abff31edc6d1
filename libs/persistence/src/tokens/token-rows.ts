import type { ChangeStatement } from '../audit/audit-event.repository';
import type { TokenEntity } from '../entities/token.entity';

/** A statement to run as part of another (AuditLog.recordWith joins it to its audit events). */
export type Statement = ChangeStatement;

const INSERT_COLUMNS = [
  'tenant_id', 'id', 'kind', 'name', 'environment', 'owner_service_id', 'created_by', 'created_via', 'lookup_id',
  'secret_hash', 'pepper_id', 'last4', 'scopes', 'status', 'not_before', 'expires_at', 'rotation_interval_seconds',
  'grace_period_seconds', 'next_rotation_at', 'rotated_from_id', 'root_id', 'allowed_cidrs', 'max_uses',
  'remaining_uses', 'metadata', 'consent_id', 'data_categories', 'created_at', 'updated_at', 'geo_mode', 'residency_region',
  'allowed_regions', 'allowed_countries', 'rate_limit', 'rate_limit_window_seconds', 'steward_user_id',
] as const;
const INSERT_SQL = `INSERT INTO tokens (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

/** The INSERT of one token as a plain parameterised statement: issuing is a hot path, and the entity is already complete. */
export function tokenInsert(t: TokenEntity): Statement {
  return { sql: INSERT_SQL, params: insertParams(t) };
}

/**
 * One INSERT of several tokens (an issue batch). The rows go as one JSON array, so that its text is the
 * same for any number of them and the statement it joins is prepared once per connection: planning the
 * eight-row VALUES list of 288 parameters again for every batch cost a quarter of the statement's time.
 */
const BATCH_INSERT_SQL = `INSERT INTO tokens (${INSERT_COLUMNS.join(', ')})
  SELECT ${INSERT_COLUMNS.map((c) => `r.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::tokens, $1::jsonb) AS r`;

export function tokenInserts(tokens: readonly TokenEntity[]): Statement {
  const rows = tokens.map((t) => Object.fromEntries(insertValues(t).map((value, i) => [INSERT_COLUMNS[i], value])));
  return { sql: BATCH_INSERT_SQL, params: [JSON.stringify(rows)], fixedText: true };
}

function insertParams(t: TokenEntity): unknown[] {
  const values = insertValues(t);
  values[METADATA] = JSON.stringify(t.metadata);
  return values;
}

const METADATA = INSERT_COLUMNS.indexOf('metadata');

/** The values of INSERT_COLUMNS, in their order. */
function insertValues(t: TokenEntity): unknown[] {
  return [
    t.tenantId, t.id, t.kind, t.name, t.environment, t.ownerServiceId, t.createdBy, t.createdVia, t.lookupId,
    t.secretHash, t.pepperId, t.last4, t.scopes, t.status, t.notBefore, t.expiresAt, t.rotationIntervalSeconds,
    t.gracePeriodSeconds, t.nextRotationAt, t.rotatedFromId, t.rootId, t.allowedCidrs, t.maxUses, t.remainingUses,
    t.metadata, t.consentId, t.dataCategories, t.createdAt, t.updatedAt, t.geoMode ?? 'off', t.residencyRegion ?? null,
    t.allowedRegions ?? [], t.allowedCountries ?? [], t.rateLimit ?? null, t.rateLimitWindowSeconds ?? null, t.stewardUserId ?? null,
  ];
}

/** token_successor_pickups as stored. */
export interface SuccessorPickupRow {
  successor_id: string;
  jwe: string | null;
  sealed_secret: string | null;
  fetched_at: Date | null;
}

/** A rotated token's successor, waiting for (or already fetched by) the service that owns it. */
export interface WaitingSuccessor {
  successorId: string;
  /** The handover encrypted to the service's key, when it registered one. */
  jwe: string | null;
  /** Otherwise the secret sealed under the master key. */
  sealedSecret: string | null;
  fetchedAt: Date | null;
}

export function waitingSuccessorOf(row: SuccessorPickupRow): WaitingSuccessor {
  return { successorId: row.successor_id, jwe: row.jwe, sealedSecret: row.sealed_secret, fetchedAt: row.fetched_at };
}
