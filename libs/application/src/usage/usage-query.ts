import { Inject, Injectable } from '@nestjs/common';
import { SCOPE_USE_WINDOW_DAYS, type FieldError, type UsageGroupBy } from '@custos/contracts';
import { DomainError, type UsageEvent, type UsageKind } from '@custos/domain';
import { Database, TokenRepository, UsageQueryRepository, type StoredUsageEvent, type UsageCountry } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { periodErrors, type Period } from '../shared/period';
import { requireScope } from '../shared/require-scope';
import { requireToken } from '../tokens/token-lookups';

/** What reading usage asks of the database: counts from the rollups, pages of raw events, a token's summary. */
export type UsageReads = Pick<UsageQueryRepository, 'buckets' | 'events' | 'tokenSummary' | 'scopesUsedSince'>;
/** A token's summary is only for a token of the caller's tenant. */
export type UsageTokenReads = Pick<TokenRepository, 'findById'>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The period counted when the request names none: the last 30 days. */
export const USAGE_DEFAULT_DAYS = 30;
/** Longest period counted at once: more than a year, so a year can be held against the one before. */
export const USAGE_MAX_PERIOD_DAYS = 400;
/** Longest period counted by hour: a month of hours (744 buckets) is as much as a chart can show. */
export const USAGE_MAX_HOURLY_DAYS = 31;
/** The window of a token's summary counts (byOutcome30d, distinctAddresses30d, crossBorderCount30d). */
export const TOKEN_USAGE_WINDOW_DAYS = 30;

/** Whose uses: one token, the tokens a service owns, or (neither) the whole tenant; optionally one kind. */
export interface UsageScopeFilter {
  tokenId?: string | undefined;
  serviceId?: string | undefined;
  kind?: UsageKind | undefined;
}

/** A period of usage as asked for: either end may be left out. */
export interface UsagePeriodQuery {
  /** Defaults to `USAGE_DEFAULT_DAYS` before `to`. */
  from?: Date | undefined;
  /** Defaults to now. */
  to?: Date | undefined;
}

export interface UsageCountsQuery extends UsageScopeFilter, UsagePeriodQuery {
  groupBy: UsageGroupBy;
}

/** Uses counted under one key (an hour, a day, a country, a region or an outcome), and how they ended. */
export interface UsageBucketView {
  key: string | null;
  count: number;
  byOutcome: Record<string, number>;
}

export interface UsageCountsView {
  /** The start of the first hour counted: the period is whole UTC hours, from `from`'s hour up to `to`. */
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  buckets: UsageBucketView[];
}

export interface UsageEventQuery extends UsageScopeFilter {
  outcome?: string | undefined;
  country?: string | undefined;
  crossBorder?: boolean | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * One use as the API shows it: the client's network, never its address nor the keyed hash of it.
 * eventView names each field it copies, so a field added to UsageEvent stays out until it is added there.
 */
export type UsageEventView = Omit<UsageEvent, 'tenantId' | 'ipHash' | 'occurredAt' | 'uses'> & { id: string; occurredAt: string; uses: number };

export interface UsageCountryView {
  country: string | null;
  region: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  count: number;
}

/** Where a token is used from (everything kept), and how its uses of the last 30 days ended. */
export interface TokenUsageView {
  tokenId: string;
  lastUsedAt: string | null;
  lastUsedCountry: string | null;
  lastUsedIpPrefix: string | null;
  distinctAddresses30d: number;
  countries: UsageCountryView[];
  byOutcome30d: Record<string, number>;
  crossBorderCount30d: number;
  /** The token's scopes a VALID verify asked for in the last 90 days, and the rest (what an access review may drop). */
  scopesUsed90d: string[];
  scopesUnused90d: string[];
}

type Cursor = { t: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor =>
  typeof v.t === 'string' && !Number.isNaN(Date.parse(v.t)) && typeof v.i === 'string' && /^[0-9]{1,19}$/.test(v.i);

/** The reads of usage (GET /v1/usage, /v1/usage/events, /v1/tokens/:id/usage), each in the caller's tenant. */
@Injectable()
export class UsageQuery {
  constructor(
    private readonly db: Database,
    @Inject(UsageQueryRepository) private readonly usage: UsageReads,
    @Inject(TokenRepository) private readonly tokens: UsageTokenReads,
  ) {}

  /** Uses in the period grouped by `groupBy`, from the hourly rollups: by time in time order, otherwise the most first. */
  async counts(principal: Principal, query: UsageCountsQuery, now = new Date()): Promise<UsageCountsView> {
    requireScope(principal, 'custos:usage:read');
    const period = countedPeriod(query, now);
    const { tokenId, serviceId, kind, groupBy } = query;
    const buckets = await this.db.tenant(principal.tenantId, (tx) => this.usage.buckets(tx, { ...period, tokenId, serviceId, kind }, groupBy));
    return { from: startOfHour(period.from).toISOString(), to: period.to.toISOString(), groupBy, buckets };
  }

  /** Raw events, newest first, keyset-paged by (occurredAt, id). */
  async events(principal: Principal, query: UsageEventQuery): Promise<Page<UsageEventView>> {
    requireScope(principal, 'custos:usage:read');
    const { from, to, limit } = query;
    if (from && to) throwIfAny(periodErrors({ from, to }));
    const cursor = decodeCursor(query.cursor, isCursor);
    const before = cursor ? { occurredAt: new Date(cursor.t), id: cursor.i } : undefined;
    const { tokenId, serviceId, kind, outcome, country, crossBorder } = query;
    const rows = await this.db.tenant(principal.tenantId, (tx) =>
      this.usage.events(tx, { tokenId, serviceId, kind, outcome, country, crossBorder, from, to, before }, limit + 1),
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(eventView),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.occurredAt.toISOString(), i: last.id }) : null,
    };
  }

  /** A token's countries and latest use, and its outcomes, distinct addresses and cross-border uses of the last 30 days. */
  async tokenSummary(principal: Principal, tokenId: string, now = new Date()): Promise<TokenUsageView> {
    requireScope(principal, 'custos:usage:read');
    const since = new Date(now.getTime() - TOKEN_USAGE_WINDOW_DAYS * DAY_MS);
    return this.db.tenant(principal.tenantId, async (tx) => {
      // Another tenant's token is not found either: row-level security hides it.
      const token = requireToken(await this.tokens.findById(tx, tokenId));
      const summary = await this.usage.tokenSummary(tx, token.id, since);
      const used = new Set(await this.usage.scopesUsedSince(tx, token.id, new Date(now.getTime() - SCOPE_USE_WINDOW_DAYS * DAY_MS)));
      return {
        tokenId: token.id,
        lastUsedAt: summary.latest?.occurredAt.toISOString() ?? null,
        lastUsedCountry: summary.latest?.country ?? null,
        lastUsedIpPrefix: summary.latest?.ipPrefix ?? null,
        distinctAddresses30d: summary.distinctAddresses,
        countries: summary.countries.map(countryView),
        byOutcome30d: summary.byOutcome,
        crossBorderCount30d: summary.crossBorderCount,
        scopesUsed90d: token.scopes.filter((s) => used.has(s)),
        scopesUnused90d: token.scopes.filter((s) => !used.has(s)),
      };
    });
  }
}

/** The period asked for, or the last 30 days before `to` (default now), with what is wrong with it. */
function periodOf(query: UsagePeriodQuery, now: Date): { period: Period; errors: FieldError[] } {
  const to = query.to ?? now;
  const from = query.from ?? new Date(to.getTime() - USAGE_DEFAULT_DAYS * DAY_MS);
  return { period: { from, to }, errors: periodErrors({ from, to }, USAGE_MAX_PERIOD_DAYS) };
}

/** The period counted from the rollups: the one asked for, or the last 30 days; at most 400 days, else a validation error. */
export function usagePeriod(query: UsagePeriodQuery, now: Date): Period {
  const { period, errors } = periodOf(query, now);
  throwIfAny(errors);
  return period;
}

/** The start of the UTC hour `at` falls in: where counting from the hourly rollups begins. */
export function startOfHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** The period asked for, or the last 30 days; bounded, and shorter when counted by hour. */
function countedPeriod(query: UsageCountsQuery, now: Date): Period {
  const { period, errors } = periodOf(query, now);
  if (errors.length === 0 && query.groupBy === 'hour' && period.to.getTime() - period.from.getTime() > USAGE_MAX_HOURLY_DAYS * DAY_MS) {
    errors.push({ field: 'groupBy', message: `hour needs a period of at most ${USAGE_MAX_HOURLY_DAYS} days; group a longer one by day` });
  }
  throwIfAny(errors);
  return period;
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw DomainError.validation(errors);
}

function eventView(e: StoredUsageEvent): UsageEventView {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    kind: e.kind,
    tokenId: e.tokenId,
    callerId: e.callerId,
    outcome: e.outcome,
    ipPrefix: e.ipPrefix,
    country: e.country,
    claimedCountry: e.claimedCountry,
    region: e.region,
    resource: e.resource,
    transport: e.transport,
    userAgent: e.userAgent,
    crossBorder: e.crossBorder,
    geoFlagged: e.geoFlagged,
    uses: e.uses ?? 1,
  };
}

function countryView(c: UsageCountry): UsageCountryView {
  return { country: c.country, region: c.region, firstSeenAt: c.firstSeenAt.toISOString(), lastSeenAt: c.lastSeenAt.toISOString(), count: c.count };
}
