import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

export interface CountedValue {
  value: string;
  count: number;
}

/** What a token's usage events say of a period: the "did reach" half of a breach impact. */
export interface TokenReach {
  uses: number;
  byOutcome: Record<string, number>;
  firstUseAt: Date | null;
  lastUseAt: Date | null;
  /** The most used `context.resource` values, with their uses. */
  resources: CountedValue[];
  countries: CountedValue[];
  /** Networks (/24, /48), never addresses. */
  networks: CountedValue[];
  /** Uses at or after `after` (the leak report), when given. */
  usesAfter: number | null;
}

/** The most distinct resources, countries or networks listed; counts past it are in the totals. */
export const IMPACT_LIST_MAX = 200;

/** The usage events of one token over a period, summed up for a breach impact report. */
@Injectable()
export class TokenImpactRepository {
  async reach(tx: Tx, tokenIds: readonly string[], from: Date, to: Date, after: Date | null): Promise<TokenReach> {
    const where = `token_id = ANY($1) AND occurred_at >= $2 AND occurred_at < $3`;
    const params = [tokenIds, from, to];
    const [totals] = await tx.rows<{ uses: string; first_at: Date | null; last_at: Date | null; after: string | null }>(
      `SELECT coalesce(sum(uses), 0) AS uses, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
              CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE coalesce(sum(uses) FILTER (WHERE occurred_at >= $4), 0) END AS after
         FROM usage_events WHERE ${where}`,
      [...params, after],
    );
    const counted = (column: string) =>
      tx.rows<{ value: string; n: string }>(
        `SELECT ${column} AS value, sum(uses) AS n FROM usage_events WHERE ${where} AND ${column} IS NOT NULL
          GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${IMPACT_LIST_MAX}`,
        params,
      );
    const list = (rows: { value: string; n: string }[]) => rows.map((r) => ({ value: r.value, count: Number(r.n) }));
    const outcomes = await counted('outcome');
    return {
      uses: Number(totals?.uses ?? 0),
      byOutcome: Object.fromEntries(outcomes.map((r) => [r.value, Number(r.n)])),
      firstUseAt: totals?.first_at ?? null,
      lastUseAt: totals?.last_at ?? null,
      resources: list(await counted('resource')),
      countries: list(await counted('country')),
      networks: list(await counted('ip_prefix::text')),
      usesAfter: totals?.after === null || totals?.after === undefined ? null : Number(totals.after),
    };
  }
}
