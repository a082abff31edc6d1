import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { TokenEntity } from '../entities';
import { applyTokenFilter, type TokenFilter } from '../tokens/token-filter';

export const INVENTORY_SORTS = ['createdAt', 'expiresAt', 'lastUsedAt'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * Each sort key is a column expression with an index leading by tenant (see the add-inventory-indexes
 * migration). Never-used tokens sort as the oldest use, so "least recently used" puts them first.
 */
const SORT_EXPRESSIONS: Record<InventorySort, string> = {
  createdAt: 't.created_at',
  expiresAt: 't.expires_at',
  lastUsedAt: "coalesce(t.last_used_at, '-infinity'::timestamptz)",
};

/** A page of the inventory as read: up to `limit + 1` tokens (one more tells there is a next page). */
export interface InventoryRows {
  tokens: TokenEntity[];
  /**
   * Each token's sort key as Postgres prints it: it keeps its microseconds, which a JS Date would drop
   * (and so skip rows created within the same millisecond on the next page).
   */
  sortKeys: Map<string, string>;
  /** Tokens matching the filter, counted up to `countCap + 1`. */
  counted: number;
}

/** The dashboard's inventory: the token list's filters, a sort, keyset pages over (sort key, id). */
@Injectable()
export class TokenInventoryRepository {
  async page(
    tx: Tx,
    filter: TokenFilter,
    order: { sort: InventorySort; order: SortOrder; after: { v: string; i: string } | null },
    countCap: number,
  ): Promise<InventoryRows> {
    const key = SORT_EXPRESSIONS[order.sort];
    const direction = order.order === 'asc' ? 'ASC' : 'DESC';
    const filtered = () => applyTokenFilter(tx.manager.createQueryBuilder(TokenEntity, 't'), filter);
    const page = filtered();
    if (order.after) {
      page.andWhere(`(${key}, t.id) ${order.order === 'asc' ? '>' : '<'} (CAST(:v AS timestamptz), :i)`, { v: order.after.v, i: order.after.i });
    }
    const { entities, raw } = await page
      .addSelect(`(${key})::text`, 'sort_key')
      .orderBy(key, direction)
      .addOrderBy('t.id', direction)
      .limit(filter.limit + 1)
      .getRawAndEntities<{ t_id: string; sort_key: string }>();
    const [countSql, countParams] = filtered().select('1').limit(countCap + 1).getQueryAndParameters();
    const count = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${countSql}) capped`, countParams);
    return { tokens: entities, sortKeys: new Map(raw.map((r) => [r.t_id, r.sort_key])), counted: count?.n ?? 0 };
  }
}
