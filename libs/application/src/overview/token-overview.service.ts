import { Inject, Injectable } from '@nestjs/common';
import { TOKEN_STATUSES, type TokenStatus } from '@custos/contracts';
import { Database, TokenOverviewRepository } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { requireScope } from '../shared/require-scope';

export const EXPIRING_WITHIN_DAYS = 7;
export const UNUSED_FOR_DAYS = 30;
export const ACTIVITY_DAYS = 30;

export interface DailyTokenActivity {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  issued: number;
  revoked: number;
}

/** What the dashboard's overview shows at a glance; every figure is one indexed query. */
export interface TokenOverview {
  generatedAt: string;
  byStatus: Record<TokenStatus, number>;
  /** Active or suspended tokens whose expiry falls within the next EXPIRING_WITHIN_DAYS days. */
  expiringSoon: number;
  /** Active tokens whose scheduled rotation is due and has not happened. */
  rotationOverdue: number;
  /** Active tokens not used (nor created or resumed) for UNUSED_FOR_DAYS days or more. */
  unused: number;
  /** The last ACTIVITY_DAYS UTC days, oldest first, including today. */
  daily: DailyTokenActivity[];
}

/** Whose tokens the overview counts: the tenant's, or those one service owns (its page). */
export interface OverviewFilter {
  ownerServiceId?: string | undefined;
}

/** What the overview asks of the database. */
export type OverviewReads = Pick<TokenOverviewRepository, 'figures'>;

const DAY_MS = 86_400_000;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

@Injectable()
export class TokenOverviewQuery {
  constructor(
    private readonly db: Database,
    @Inject(TokenOverviewRepository) private readonly tokens: OverviewReads,
  ) {}

  /** The tenant's tokens, or with `ownerServiceId` the ones that service owns (an unknown id counts none). */
  async overview(principal: Principal, filter: OverviewFilter = {}, now: Date = new Date()): Promise<TokenOverview> {
    requireScope(principal, 'custos:tokens:read');
    const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (ACTIVITY_DAYS - 1) * DAY_MS);
    const expiringBy = new Date(now.getTime() + EXPIRING_WITHIN_DAYS * DAY_MS);
    const unusedSince = new Date(now.getTime() - UNUSED_FOR_DAYS * DAY_MS);

    const figures = await this.db.tenant(principal.tenantId, (tx) =>
      this.tokens.figures(tx, { now, expiringBy, unusedSince, firstDay, ownerServiceId: filter.ownerServiceId ?? null }),
    );

    const byStatus = Object.fromEntries(TOKEN_STATUSES.map((s) => [s, 0])) as Record<TokenStatus, number>;
    for (const row of figures.byStatus) byStatus[row.status] = row.n;
    const issued = new Map(figures.issued.map((r) => [r.day, r.n]));
    const revoked = new Map(figures.revoked.map((r) => [r.day, r.n]));
    const daily = Array.from({ length: ACTIVITY_DAYS }, (_, i) => {
      const day = utcDay(new Date(firstDay.getTime() + i * DAY_MS));
      return { day, issued: issued.get(day) ?? 0, revoked: revoked.get(day) ?? 0 };
    });
    return {
      generatedAt: now.toISOString(),
      byStatus,
      expiringSoon: figures.expiring,
      rotationOverdue: figures.overdue,
      unused: figures.unused,
      daily,
    };
  }
}
