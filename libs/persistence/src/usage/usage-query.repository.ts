import { Injectable } from '@nestjs/common';
import type { UsageGroupBy } from '@custos/contracts';
import type { GeoMode } from '@custos/contracts';
import type { TokenGeofence, UsageEvent, UsageKind, UsageTransport } from '@custos/domain';
import type { Tx } from '../database/database';
import { limitOf } from '../database/sql-limit';

/** Whose uses: one token, the tokens a service owns, or (neither) the whole tenant; optionally one kind. */
export interface UsageScope {
  tokenId?: string | undefined;
  /** The tokens this service owns (tokens.owner_service_id). */
  serviceId?: string | undefined;
  kind?: UsageKind | undefined;
}

/** A period of whole UTC hours: the hours that begin in [from rounded down to its hour, to). */
export interface UsagePeriod extends UsageScope {
  from: Date;
  to: Date;
}

/** Uses counted under one key (an hour, a day, a country, a region or an outcome), and how they ended. */
export interface UsageBucket {
  /** `YYYY-MM-DDTHH:00:00Z` by hour, `YYYY-MM-DD` by day (UTC); null for uses without a country or region. */
  key: string | null;
  count: number;
  byOutcome: Record<string, number>;
}

/** The filters of the raw events' pages, all optional; `before` is the keyset position (the previous page's last event). */
export interface UsageEventFilter extends UsageScope {
  outcome?: string | undefined;
  country?: string | undefined;
  crossBorder?: boolean | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  before?: UsageEventPosition | undefined;
}

export interface UsageEventPosition {
  occurredAt: Date;
  id: string;
}

export interface StoredUsageEvent extends UsageEvent {
  id: string;
}

export interface UsageCountry {
  country: string | null;
  /** The region the latest use from there was counted in. */
  region: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  count: number;
}

/** One token's uses: where from (all kept), and since a moment (e.g. 30 days ago) how they ended. */
export interface TokenUsageSummary {
  latest: StoredUsageEvent | null;
  countries: UsageCountry[];
  byOutcome: Record<string, number>;
  /** Distinct address hashes since the UTC day of `since`. */
  distinctAddresses: number;
  crossBorderCount: number;
}

/**
 * Uses of one token from one country outside its residency region over a period, every outcome: from
 * the hourly rollups, so from the first hour of the period, whole.
 */
export interface CrossBorderTransfer {
  tokenId: string;
  tokenName: string;
  /** The token's data categories and geofence as they are now (the transfer is judged against them). */
  dataCategories: string[];
  geofence: TokenGeofence;
  country: string;
  /** The region the latest of these uses was counted in. */
  region: string | null;
  count: number;
  /** Uses per outcome, the most first (then by name): a stable order for the files that print it. */
  byOutcome: Record<string, number>;
  firstAt: Date;
  lastAt: Date;
}

/** How much crossed a border in a period: token-country pairs, uses, tokens. */
export interface CrossBorderTotals {
  transfers: number;
  uses: number;
  tokens: number;
}

/** Keyset position among transfers: they come ordered by token, then country. */
export interface CrossBorderPosition {
  tokenId: string;
  country: string;
}

interface CrossBorderRow {
  token_id: string;
  token_name: string;
  data_categories: string[];
  geo_mode: GeoMode;
  residency_region: string | null;
  allowed_regions: string[];
  allowed_countries: string[];
  country: string;
  region: string | null;
  n: string;
  by_outcome: Record<string, number>;
  first_at: Date;
  last_at: Date;
}

interface UsageEventRow {
  id: string;
  tenant_id: string;
  occurred_at: Date;
  kind: UsageKind;
  token_id: string | null;
  caller_id: string | null;
  outcome: string;
  ip_prefix: string | null;
  ip_hash: string | null;
  country: string | null;
  claimed_country: string | null;
  region: string | null;
  resource: string | null;
  transport: UsageTransport;
  user_agent: string | null;
  cross_border: boolean;
  geo_flagged: boolean;
  uses: number;
}

const EVENT_COLUMNS = `id::text, tenant_id, occurred_at, kind, token_id, caller_id, outcome, ip_prefix::text, ip_hash, country,
  claimed_country, region, resource, transport, user_agent, cross_border, geo_flagged, uses`;

const BUCKET_KEYS: Record<UsageGroupBy, string> = {
  hour: `to_char(r.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"')`,
  day: `to_char(r.hour AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  country: 'r.country',
  region: 'r.region',
  outcome: 'r.outcome',
};

/**
 * The reads of usage, in a tenant transaction: counts from the hourly rollups (never the raw events),
 * keyset pages of raw events, and one token's summary.
 */
@Injectable()
export class UsageQueryRepository {
  /** Uses in the period grouped by `groupBy`: by time in time order, otherwise the most first. */
  async buckets(tx: Tx, period: UsagePeriod, groupBy: UsageGroupBy): Promise<UsageBucket[]> {
    const where = new Conditions(tx, 'r');
    where.period(period);
    where.scope(period);
    const rows = await tx.rows<{ key: string | null; outcome: string; n: string }>(
      `SELECT ${BUCKET_KEYS[groupBy]} AS key, r.outcome, sum(r.count) AS n
         FROM usage_rollups_hourly r WHERE ${where.sql} GROUP BY 1, 2`,
      where.params,
    );
    const buckets = new Map<string | null, UsageBucket>();
    for (const row of rows) {
      let bucket = buckets.get(row.key);
      if (!bucket) buckets.set(row.key, (bucket = { key: row.key, count: 0, byOutcome: {} }));
      bucket.count += Number(row.n);
      bucket.byOutcome[row.outcome] = Number(row.n);
    }
    const byTime = groupBy === 'hour' || groupBy === 'day';
    return [...buckets.values()].sort((a, b) => (byTime ? compareKeys(a.key, b.key) : b.count - a.count || compareKeys(a.key, b.key)));
  }

  /**
   * Cross-border uses in the period, one row per token and country (outcomes, hours and regions summed),
   * ordered by token then country, after `after` (from the start when null), at most `limit`.
   */
  async crossBorderTransfers(tx: Tx, period: UsagePeriod, after: CrossBorderPosition | null, limit: number): Promise<CrossBorderTransfer[]> {
    const where = this.crossBorderConditions(tx, period);
    if (after) where.add('(r.token_id, r.country) > (?, ?)', after.tokenId, after.country);
    const rows = await tx.rows<CrossBorderRow>(
      `WITH o AS (
         SELECT r.token_id, r.country, r.outcome, sum(r.count) AS n, min(r.first_at) AS first_at, max(r.last_at) AS last_at,
                (array_agg(r.region ORDER BY r.last_at DESC))[1] AS region
           FROM usage_rollups_hourly r WHERE ${where.sql}
          GROUP BY r.token_id, r.country, r.outcome
       )
       SELECT o.token_id, t.name AS token_name, t.data_categories, t.geo_mode, t.residency_region, t.allowed_regions, t.allowed_countries,
              o.country, (array_agg(o.region ORDER BY o.last_at DESC))[1] AS region, sum(o.n)::text AS n,
              jsonb_object_agg(o.outcome, o.n) AS by_outcome, min(o.first_at) AS first_at, max(o.last_at) AS last_at
         FROM o JOIN tokens t ON t.tenant_id = $1 AND t.id = o.token_id
        GROUP BY o.token_id, o.country, t.tenant_id, t.id
        ORDER BY o.token_id, o.country
        LIMIT ${limitOf(limit)}`,
      where.params,
    );
    return rows.map((row) => ({
      tokenId: row.token_id,
      tokenName: row.token_name,
      dataCategories: row.data_categories,
      geofence: { mode: row.geo_mode, residencyRegion: row.residency_region, allowedRegions: row.allowed_regions, allowedCountries: row.allowed_countries },
      country: row.country,
      region: row.region,
      count: Number(row.n),
      byOutcome: Object.fromEntries(
        Object.entries(row.by_outcome)
          .map(([outcome, n]): [string, number] => [outcome, Number(n)])
          .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1)),
      ),
      firstAt: row.first_at,
      lastAt: row.last_at,
    }));
  }

  /** The totals of crossBorderTransfers over the whole period. */
  async crossBorderTotals(tx: Tx, period: UsagePeriod): Promise<CrossBorderTotals> {
    const where = this.crossBorderConditions(tx, period);
    const row = await tx.one<{ transfers: number; uses: string; tokens: number }>(
      `SELECT count(DISTINCT (r.token_id, r.country))::int AS transfers, coalesce(sum(r.count), 0)::text AS uses,
              count(DISTINCT r.token_id)::int AS tokens
         FROM usage_rollups_hourly r WHERE ${where.sql}`,
      where.params,
    );
    return { transfers: row?.transfers ?? 0, uses: Number(row?.uses ?? 0), tokens: row?.tokens ?? 0 };
  }

  /** The cross-border rollup rows of the period. */
  private crossBorderConditions(tx: Tx, period: UsagePeriod): Conditions {
    const where = new Conditions(tx, 'r');
    where.period(period);
    where.scope(period);
    // Only verify answers of a located use of a token are ever cross-border; the conditions say so to the planner.
    where.add('r.cross_border AND r.token_id IS NOT NULL AND r.country IS NOT NULL');
    return where;
  }

  /** Raw events matching `filter`, newest first, at most `limit` (one more than a page tells there is a next). */
  async events(tx: Tx, filter: UsageEventFilter, limit: number): Promise<StoredUsageEvent[]> {
    const where = new Conditions(tx, 'e');
    where.scope(filter);
    if (filter.outcome !== undefined) where.add('e.outcome = ?', filter.outcome);
    if (filter.country !== undefined) where.add('e.country = ?', filter.country);
    if (filter.crossBorder !== undefined) where.add('e.cross_border = ?', filter.crossBorder);
    if (filter.from) where.add('e.occurred_at >= ?', filter.from);
    if (filter.to) where.add('e.occurred_at < ?', filter.to);
    if (filter.before) where.add('(e.occurred_at, e.id) < (?, ?::bigint)', filter.before.occurredAt, filter.before.id);
    const rows = await tx.rows<UsageEventRow>(
      `SELECT ${EVENT_COLUMNS} FROM usage_events e WHERE ${where.sql}
        ORDER BY e.occurred_at DESC, e.id DESC LIMIT ${limitOf(limit)}`,
      where.params,
    );
    return rows.map(eventOf);
  }

  /** Where the token was used from, over all that is kept; since `since`, its uses by outcome, distinct addresses and cross-border uses. */
  /** The token's scopes asked for by a VALID verify at or after `since`. */
  async scopesUsedSince(tx: Tx, tokenId: string, since: Date): Promise<string[]> {
    const rows = await tx.rows<{ scope: string }>(
      `SELECT scope FROM token_scope_uses WHERE tenant_id = $1 AND token_id = $2 AND last_used_at >= $3 ORDER BY scope`,
      [tx.tenantId, tokenId, since],
    );
    return rows.map((r) => r.scope);
  }

  async tokenSummary(tx: Tx, tokenId: string, since: Date): Promise<TokenUsageSummary> {
    // A country's region is the same on all its rows unless the region table changed meanwhile: max() is
    // as good as the latest's and needs no sort.
    const countries = await tx.rows<{ country: string | null; region: string | null; first_at: Date; last_at: Date; n: string }>(
      `SELECT country, max(region) AS region, min(first_at) AS first_at, max(last_at) AS last_at, sum(count) AS n
         FROM usage_rollups_hourly WHERE tenant_id = $1 AND token_id = $2
        GROUP BY country ORDER BY n DESC, country`,
      [tx.tenantId, tokenId],
    );
    // The rollups know when the latest use was: reading events from then on plans and scans one day's
    // partition, not every day's.
    const lastAt = countries.reduce<Date | null>((latest, c) => (!latest || c.last_at > latest ? c.last_at : latest), null);
    const [latest] = lastAt ? await this.events(tx, { tokenId, from: lastAt }, 1) : [];
    const outcomes = await tx.rows<{ outcome: string; n: string; cross_border: string }>(
      `SELECT outcome, sum(count) AS n, coalesce(sum(count) FILTER (WHERE cross_border), 0) AS cross_border
         FROM usage_rollups_hourly WHERE tenant_id = $1 AND token_id = $2 AND hour >= date_trunc('hour', $3::timestamptz, 'UTC')
        GROUP BY outcome`,
      [tx.tenantId, tokenId, since],
    );
    const addresses = await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM usage_addresses
        WHERE tenant_id = $1 AND token_id = $2 AND last_day >= ($3::timestamptz AT TIME ZONE 'UTC')::date`,
      [tx.tenantId, tokenId, since],
    );
    return {
      latest: latest ?? null,
      countries: countries.map((c) => ({ country: c.country, region: c.region, firstSeenAt: c.first_at, lastSeenAt: c.last_at, count: Number(c.n) })),
      byOutcome: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])),
      distinctAddresses: addresses?.n ?? 0,
      crossBorderCount: outcomes.reduce((sum, o) => sum + Number(o.cross_border), 0),
    };
  }
}

/** A WHERE clause over one alias of a tenant's rows, its values numbered as they are added. */
class Conditions {
  readonly params: unknown[];
  private readonly parts: string[];

  constructor(tx: Tx, private readonly alias: string) {
    // Row-level security scopes the rows already; naming the tenant lets the planner use the indexes that lead with it.
    this.params = [tx.tenantId];
    this.parts = [`${alias}.tenant_id = $1`];
  }

  get sql(): string {
    return this.parts.join(' AND ');
  }

  /** `condition` with one `?` per value. */
  add(condition: string, ...values: unknown[]): void {
    let i = 0;
    this.parts.push(condition.replace(/\?/g, () => `$${this.params.length + ++i}`));
    this.params.push(...values);
  }

  /** The hours of a period: from the hour `from` falls in, up to `to`. */
  period(period: { from: Date; to: Date }): void {
    this.add(`${this.alias}.hour >= date_trunc('hour', ?::timestamptz, 'UTC')`, period.from);
    this.add(`${this.alias}.hour < ?`, period.to);
  }

  scope(scope: UsageScope): void {
    const a = this.alias;
    if (scope.tokenId !== undefined) this.add(`${a}.token_id = ?`, scope.tokenId);
    if (scope.serviceId !== undefined) {
      this.add(`${a}.token_id IN (SELECT t.id FROM tokens t WHERE t.tenant_id = $1 AND t.owner_service_id = ?)`, scope.serviceId);
    }
    if (scope.kind !== undefined) this.add(`${a}.kind = ?`, scope.kind);
  }
}

/** Keys in ascending order, null (no country, no region) last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function eventOf(row: UsageEventRow): StoredUsageEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    occurredAt: row.occurred_at,
    kind: row.kind,
    tokenId: row.token_id,
    callerId: row.caller_id,
    outcome: row.outcome,
    ipPrefix: row.ip_prefix,
    ipHash: row.ip_hash,
    country: row.country,
    claimedCountry: row.claimed_country,
    region: row.region,
    resource: row.resource,
    transport: row.transport,
    userAgent: row.user_agent,
    crossBorder: row.cross_border,
    geoFlagged: row.geo_flagged,
    uses: row.uses,
  };
}
