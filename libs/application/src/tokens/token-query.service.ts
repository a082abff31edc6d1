import { Inject, Injectable } from '@nestjs/common';
import { ActorRepository, Database, TokenRepository, type TokenFilter } from '@custos/persistence';
import type { ActorReads } from '../accounts/actors';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { requireToken } from './token-lookups';
import { tokenView, tokenViews, type TokenView } from './token-view';

// The inventory and the compliance export build their own queries with the same filters.
export { applyTokenFilter, type TokenFilter } from '@custos/persistence';

type Cursor = { c: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.c === 'string' && typeof v.i === 'string';

export type TokenReads = Pick<TokenRepository, 'list' | 'findById' | 'findLineage'>;

@Injectable()
export class TokenQuery {
  constructor(
    private readonly db: Database,
    @Inject(TokenRepository) private readonly tokens: TokenReads,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  /** Newest first; keyset pages over (created_at, id), so any depth costs the same. */
  async list(principal: Principal, filter: TokenFilter): Promise<Page<TokenView>> {
    requireScope(principal, 'custos:tokens:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const after = cursor ? { createdAt: cursor.c, id: cursor.i } : null;
    return this.db.tenant(principal.tenantId, async (tx) => {
      const rows = await this.tokens.list(tx, filter, after, filter.limit + 1);
      const items = rows.slice(0, filter.limit);
      const last = items[items.length - 1];
      return {
        items: await tokenViews(this.actors, tx, items),
        nextCursor: rows.length > filter.limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null,
      };
    });
  }

  async get(principal: Principal, id: string): Promise<TokenView> {
    requireScope(principal, 'custos:tokens:read');
    return this.db.tenant(principal.tenantId, async (tx) => tokenView(this.actors, tx, requireToken(await this.tokens.findById(tx, id))));
  }

  /** Every token of the rotation chain, oldest first. */
  async lineage(principal: Principal, id: string): Promise<TokenView[]> {
    requireScope(principal, 'custos:tokens:read');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const token = requireToken(await this.tokens.findById(tx, id));
      const chain = await this.tokens.findLineage(tx, token.rootId);
      return tokenViews(this.actors, tx, chain);
    });
  }
}
