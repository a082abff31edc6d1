import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@custos/domain';
import { ActorRepository, Database, TokenInventoryRepository, type InventorySort, type SortOrder } from '@custos/persistence';
import type { ActorReads } from '../accounts/actors';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import type { TokenFilter } from '../tokens/token-query.service';
import { tokenViews, type TokenView } from '../tokens/token-view';

export { INVENTORY_SORTS, SORT_ORDERS, type InventorySort, type SortOrder } from '@custos/persistence';

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

/** What listing the inventory asks of the database. */
export type InventoryReads = Pick<TokenInventoryRepository, 'page'>;

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
  constructor(
    private readonly db: Database,
    @Inject(TokenInventoryRepository) private readonly inventory: InventoryReads,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  async list(principal: Principal, filter: InventoryFilter): Promise<InventoryPage> {
    requireScope(principal, 'custos:tokens:read');
    const sort = filter.sort ?? 'createdAt';
    const order = filter.order ?? 'desc';
    const sortId = `${sort}:${order}`;
    const cursor = decodeCursor(filter.cursor, isCursor);
    if (cursor && cursor.s !== sortId) {
      throw DomainError.validation([{ field: 'cursor', message: 'belongs to another sort order; start again without it' }]);
    }

    const { items, more, sortKeys, counted } = await this.db.tenant(principal.tenantId, async (tx) => {
      const page = await this.inventory.page(tx, filter, { sort, order, after: cursor ? { v: cursor.v, i: cursor.i } : null }, INVENTORY_COUNT_CAP);
      const items = await tokenViews(this.actors, tx, page.tokens.slice(0, filter.limit));
      return { ...page, items, more: page.tokens.length > filter.limit };
    });

    const last = items[items.length - 1];
    return {
      items,
      nextCursor: more && last ? encodeCursor({ s: sortId, v: sortKeys.get(last.id)!, i: last.id }) : null,
      total: Math.min(counted, INVENTORY_COUNT_CAP),
      totalCapped: counted > INVENTORY_COUNT_CAP,
    };
  }
}
