import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';
import { TokenEntity } from '../entities';
import { applyTokenFilter, type TokenFilterFields } from '../tokens/token-filter';

/** A position in the export's newest-first order: created_at as Postgres prints it, which keeps microseconds a JS Date would drop. */
export interface TokenExportCursor {
  at: string;
  id: string;
}

export interface TokenExportPage {
  tokens: TokenEntity[];
  /** Where the next page starts: after the last token of this one (null when this one is empty). */
  next: TokenExportCursor | null;
}

/** The token export's reads (GET /v1/tokens/export): the list's filters, newest first, in keyset pages. */
@Injectable()
export class TokenExportRepository {
  /** Tokens matching `filter` after `after` (from the start when null), newest first, at most `limit`; with the next page's cursor. */
  async page(tx: Tx, filter: TokenFilterFields, after: TokenExportCursor | null, limit: number): Promise<TokenExportPage> {
    const qb = applyTokenFilter(tx.manager.createQueryBuilder(TokenEntity, 't'), filter);
    if (after) qb.andWhere('(t.created_at, t.id) < (CAST(:at AS timestamptz), :id)', after);
    const { entities, raw } = await qb
      .addSelect('t.created_at::text', 'sort_key')
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ t_id: string; sort_key: string }>();
    const last = entities[entities.length - 1];
    return { tokens: entities, next: last ? { at: raw.find((r) => r.t_id === last.id)!.sort_key, id: last.id } : null };
  }
}
