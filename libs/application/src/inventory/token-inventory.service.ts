import { Injectable } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import { Database, TokenEntity } from '@custos/persistence';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { applyTokenFilter, type TokenFilter } from '../tokens/token-query.service';
import { toTokenView, type TokenView } from '../tokens/token-view';

export const INVENTORY_SORTS = ['createdAt', 'expiresAt', 'lastUsedAt'] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Counting stops here: past it the inventory says "at least", so a broad filter never costs a full count. */
export const INVENTORY_COUNT_CAP = 5_000;

export interface InventoryFilter extends TokenFilter {
  sort?: InventorySort | undefined;
  order?: SortOrder | undefined;
}

export interface InventoryPage extends Page<TokenView> {
  /** Tokens matching the filter, counted up to INVENTORY_COUNT_CAP. */
  total: number;
  /** True when there are more than `total`. */
  totalCapped: boolean;
}

/**
 * Each sort key is a column expression with an index leading by tenant (see the add-inventory-indexes
 * migration). Never-used tokens sort as the oldest use, so "least recently used" puts them first.
 */
const SORT_EXPRESSIONS: Record<InventorySort, string> = {
  createdAt: 't.created_at',
  expiresAt: 't.expires_at',
  lastUsedAt: "coalesce(t.last_used_at, '-infinity'::timestamptz)",
};

/** The cursor names its sort, so a cursor of one ordering is never read as a position in another. */
type Cursor = { s: string; v: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor =>
  typeof v.s === 'string' && typeof v.v === 'string' && typeof v.i === 'string';

/**
 * The dashboard's inventory: the token list's filters plus a choice of sort and a capped count. Keyset
 * pages over (sort key, id) in either direction, so any depth costs the same.
 */
@Injectable()
export class TokenInventory {
  constructor(private readonly db: Database) {}

  async list(principal: Principal, filter: InventoryFilter): Promise<InventoryPage> {
    requireScope(principal, 'custos:tokens:read');
    const sort = filter.sort ?? 'createdAt';
    const order = filter.order ?? 'desc';
    const sortId = `${sort}:${order}`;
    const cursor = decodeCursor(filter.cursor, isCursor);
    if (cursor && cursor.s !== sortId) {
      throw DomainError.validation([{ field: 'cursor', message: 'belongs to another sort order; start again without it' }]);
    }
    const key = SORT_EXPRESSIONS[sort];
    const direction = order === 'asc' ? 'ASC' : 'DESC';

    const { rows, sortKeys, counted } = await this.db.tenant(principal.tenantId, async (tx) => {
      const filtered = () => applyTokenFilter(tx.manager.createQueryBuilder(TokenEntity, 't'), filter);
      const page = filtered();
      if (cursor) {
        page.andWhere(`(${key}, t.id) ${order === 'asc' ? '>' : '<'} (CAST(:v AS timestamptz), :i)`, { v: cursor.v, i: cursor.i });
      }
      // The sort key as Postgres prints it keeps its microseconds, which a JS Date would drop (and so
      // skip rows created within the same millisecond on the next page).
      const { entities, raw } = await page
        .addSelect(`(${key})::text`, 'sort_key')
        .orderBy(key, direction)
        .addOrderBy('t.id', direction)
        .limit(filter.limit + 1)
        .getRawAndEntities<{ t_id: string; sort_key: string }>();
      const [countSql, countParams] = filtered().select('1').limit(INVENTORY_COUNT_CAP + 1).getQueryAndParameters();
      const count = await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM (${countSql}) capped`, countParams);
      return { rows: entities, sortKeys: new Map(raw.map((r) => [r.t_id, r.sort_key])), counted: count?.n ?? 0 };
    });

    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toTokenView),
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ s: sortId, v: sortKeys.get(last.id)!, i: last.id }) : null,
      total: Math.min(counted, INVENTORY_COUNT_CAP),
      totalCapped: counted > INVENTORY_COUNT_CAP,
    };
  }
}
