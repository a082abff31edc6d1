import { Inject, Injectable } from '@nestjs/common';
import { Database, UsageQueryRepository, type CrossBorderPosition, type CrossBorderTransfer, type Tx, type UsagePeriod } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import type { Period } from '../shared/period';
import { requireScope } from '../shared/require-scope';
import { startOfHour, usagePeriod, type UsagePeriodQuery, type UsageScopeFilter } from './usage-query';

/** What listing cross-border transfers asks of the database: the rollups summed per token and country. */
export type CrossBorderReads = Pick<UsageQueryRepository, 'crossBorderTransfers'>;

/** Transfers are read in pages of this many. */
export const CROSS_BORDER_PAGE = 1000;

/** Whose transfers (one token, a service's tokens, or the tenant's) and when; only verify answers are ever cross-border. */
export interface CrossBorderQueryInput extends Omit<UsageScopeFilter, 'kind'>, UsagePeriodQuery {}

/** Uses of a token from one country outside its residency region, over the period, every outcome. */
export interface CrossBorderTransferView {
  tokenId: string;
  tokenName: string;
  /** The token's residency region (now); null when it has none any longer. */
  fromRegion: string | null;
  toCountry: string;
  /** The region the latest of these uses was counted in. */
  toRegion: string | null;
  count: number;
  /** The uses by verify answer: VALID ones were let through, GEO_BLOCKED ones refused by the geofence. */
  byOutcome: Record<string, number>;
  firstAt: string;
  lastAt: string;
}

export interface CrossBorderView {
  /** The start of the first hour counted: the period is whole UTC hours, from `from`'s hour up to `to`. */
  from: string;
  to: string;
  items: CrossBorderTransferView[];
}

export function crossBorderView(t: CrossBorderTransfer): CrossBorderTransferView {
  return {
    tokenId: t.tokenId,
    tokenName: t.tokenName,
    fromRegion: t.geofence.residencyRegion,
    toCountry: t.country,
    toRegion: t.region,
    count: t.count,
    byOutcome: t.byOutcome,
    firstAt: t.firstAt.toISOString(),
    lastAt: t.lastAt.toISOString(),
  };
}

/** Where a transfer went, in words a report prints: `EU to US (US)`; a token without a residency region now says so. */
export function routeOf(t: Pick<CrossBorderTransferView, 'fromRegion' | 'toCountry' | 'toRegion'>): string {
  return `${t.fromRegion ?? 'no residency region'} to ${t.toCountry}${t.toRegion ? ` (${t.toRegion})` : ''}`;
}

/** Pages of transfers read with `read` after `start` (from the first when null), each after the last one's position, until one comes short. */
async function* transferPages(
  read: (after: CrossBorderPosition | null) => Promise<CrossBorderTransfer[]>,
  start: CrossBorderPosition | null = null,
): AsyncGenerator<CrossBorderTransfer[]> {
  let after = start;
  for (;;) {
    const page = await read(after);
    if (page.length > 0) yield page;
    const last = page[page.length - 1];
    if (!last || page.length < CROSS_BORDER_PAGE) return;
    after = { tokenId: last.tokenId, country: last.country };
  }
}

/** Every transfer of the period after `start` (all when null) within one transaction, page by page, ordered by token then country. */
export async function* crossBorderTransfers(
  reads: CrossBorderReads,
  tx: Tx,
  period: UsagePeriod,
  start: CrossBorderPosition | null = null,
): AsyncGenerator<CrossBorderTransfer> {
  for await (const page of transferPages((after) => reads.crossBorderTransfers(tx, period, after, CROSS_BORDER_PAGE), start)) yield* page;
}

/**
 * GET /v1/cross-border: the uses of the caller's tokens from outside their residency regions over a period
 * (default the last 30 days, at most 400), per token and destination country, from the hourly rollups.
 */
@Injectable()
export class CrossBorderQuery {
  constructor(
    private readonly db: Database,
    @Inject(UsageQueryRepository) private readonly usage: CrossBorderReads,
  ) {}

  async list(principal: Principal, query: CrossBorderQueryInput, now = new Date()): Promise<CrossBorderView> {
    const period = this.period(principal, query, now);
    const items: CrossBorderTransferView[] = [];
    await this.db.tenant(principal.tenantId, async (tx) => {
      for await (const transfer of crossBorderTransfers(this.usage, tx, this.filter(query, period))) items.push(crossBorderView(transfer));
    });
    return { from: startOfHour(period.from).toISOString(), to: period.to.toISOString(), items };
  }

  /** The permission and the period checked, before anything is read: an export checks them before it answers. */
  period(principal: Principal, query: UsagePeriodQuery, now = new Date()): Period {
    requireScope(principal, 'custos:usage:read');
    return usagePeriod(query, now);
  }

  /**
   * The transfers as views, page by page, each page in its own short transaction (an export streams them
   * while the client reads). The period must have been checked with period().
   */
  async *pages(principal: Principal, query: CrossBorderQueryInput, period: Period): AsyncGenerator<CrossBorderTransferView[]> {
    const filter = this.filter(query, period);
    const read = (after: CrossBorderPosition | null) =>
      this.db.tenant(principal.tenantId, (tx) => this.usage.crossBorderTransfers(tx, filter, after, CROSS_BORDER_PAGE));
    for await (const page of transferPages(read)) yield page.map(crossBorderView);
  }

  private filter(query: CrossBorderQueryInput, period: Period): UsagePeriod {
    return { ...period, tokenId: query.tokenId, serviceId: query.serviceId };
  }
}
