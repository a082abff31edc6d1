import { Injectable } from '@nestjs/common';
import { UsageEventBatch, type UsageEvent } from '@custos/domain';
import { pgErrorCode, type Tx } from '../database/database';

/** What a failed batch write calls for: making the day's partition, setting refused events apart, or waiting for the database. */
export type UsageWriteFailure = 'missing_partition' | 'refused' | 'unavailable';

/**
 * Writes usage events (see migrations/1765200000000-add-usage-events.ts): the events, their hourly
 * rollups and the last day each token was used from each address hash, in one statement of the
 * tenant's transaction.
 */
@Injectable()
export class UsageEventRepository {
  /**
   * One multi-row INSERT of the events (unnest of one array per column), with the rollups they add up
   * to upserted (count += n) and the token's addresses' last day moved on, in the same statement. The
   * rollup and address rows are upserted in key order, so that writers of one tenant never deadlock on them.
   * An address row whose day does not move on is left as it is (only locked by the conflict): a client
   * calls all day, and rewriting its row on every flush was most of this statement's cost (bench:usage).
   */
  async insertBatch(tx: Tx, events: UsageEventBatch | readonly UsageEvent[]): Promise<void> {
    const batch = events instanceof UsageEventBatch ? events : UsageEventBatch.of(tx.tenantId ?? '', events);
    if (batch.length === 0) return;
    if (batch.tenantId !== tx.tenantId) throw new Error("usage events go into their own tenant's transaction");
    const c = batch.columns;
    await tx.rows(
      `WITH input AS (
         SELECT to_timestamp(e.occurred_ms / 1000) AS occurred_at, e.kind, e.token_id, e.caller_id, e.outcome, e.ip_prefix, e.ip_hash,
                e.country, e.claimed_country, e.region, e.resource, e.transport, e.user_agent, e.cross_border, e.geo_flagged, e.uses
           FROM unnest($2::float8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::cidr[], $8::text[], $9::text[],
                       $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::boolean[], $16::boolean[], $17::int[])
             AS e(occurred_ms, kind, token_id, caller_id, outcome, ip_prefix, ip_hash, country, claimed_country, region, resource,
                  transport, user_agent, cross_border, geo_flagged, uses)
       ), events AS (
         INSERT INTO usage_events (tenant_id, occurred_at, kind, token_id, caller_id, outcome, ip_prefix, ip_hash, country,
                                   claimed_country, region, resource, transport, user_agent, cross_border, geo_flagged, uses)
         SELECT $1::text, e.* FROM input e
       ), used AS (
         SELECT token_id, ip_hash, max((occurred_at AT TIME ZONE 'UTC')::date) AS last_day
           FROM input WHERE token_id IS NOT NULL AND ip_hash IS NOT NULL
          GROUP BY 1, 2
       ), addresses AS (
         INSERT INTO usage_addresses (tenant_id, token_id, ip_hash, last_day)
         SELECT $1::text, u.token_id, u.ip_hash, u.last_day
           FROM used u
          ORDER BY 2, 3
         ON CONFLICT (tenant_id, token_id, ip_hash) DO UPDATE SET last_day = excluded.last_day
          WHERE usage_addresses.last_day < excluded.last_day
       )
       INSERT INTO usage_rollups_hourly (tenant_id, token_id, hour, kind, outcome, country, region, cross_border, count, first_at, last_at)
       SELECT $1::text, token_id, date_trunc('hour', occurred_at, 'UTC'), kind, outcome, country, region, cross_border,
              sum(uses), min(occurred_at), max(occurred_at)
         FROM input
        GROUP BY 2, 3, 4, 5, 6, 7, 8
        ORDER BY 2, 3, 4, 5, 6, 7, 8
       ON CONFLICT ON CONSTRAINT usage_rollups_hourly_key DO UPDATE
         SET count = usage_rollups_hourly.count + excluded.count,
             first_at = least(usage_rollups_hourly.first_at, excluded.first_at),
             last_at = greatest(usage_rollups_hourly.last_at, excluded.last_at)`,
      [
        batch.tenantId,
        c.occurredAt,
        c.kind,
        c.tokenId,
        c.callerId,
        c.outcome,
        c.ipPrefix,
        c.ipHash,
        c.country,
        c.claimedCountry,
        c.region,
        c.resource,
        c.transport,
        c.userAgent,
        c.crossBorder,
        c.geoFlagged,
        c.uses,
      ],
    );
  }

  /**
   * Makes the day partitions (UTC) from `from`'s day to `to`'s that do not exist yet; how many it made.
   * Refused for days that cannot hold events (more than 3650 days back or 31 ahead).
   */
  async ensurePartitions(tx: Tx, from: Date, to: Date): Promise<number> {
    const made = await tx.one<{ n: number }>(
      `SELECT custos_usage_ensure_partitions(($1::timestamptz AT TIME ZONE 'UTC')::date, ($2::timestamptz AT TIME ZONE 'UTC')::date) AS n`,
      [from, to],
    );
    return made?.n ?? 0;
  }

  /**
   * Why insertBatch failed: no partition for a day of the batch; an event the schema refuses (bad data,
   * SQLSTATE classes 22 and 23), which trying again would refuse again; or anything else (the database
   * unreachable, restarting, a deadlock), which may pass.
   */
  failureOf(error: unknown): UsageWriteFailure {
    const code = pgErrorCode(error);
    if (code === PG_CHECK_VIOLATION && isMissingPartition(error)) return 'missing_partition';
    if (code !== undefined && /^2[23][0-9A-Z]{3}$/.test(code)) return 'refused';
    return 'unavailable';
  }
}

const PG_CHECK_VIOLATION = '23514';

/** A row no partition takes is a check violation of the parent that, unlike a CHECK constraint's, names no constraint. */
function isMissingPartition(error: unknown): boolean {
  const fields = error as { table?: unknown; constraint?: unknown; driverError?: unknown };
  if (fields.driverError) return isMissingPartition(fields.driverError);
  return fields.table === 'usage_events' && fields.constraint === undefined;
}
