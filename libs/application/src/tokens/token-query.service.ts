import { Injectable } from '@nestjs/common';
import type { TokenEnvironment, TokenStatus } from '@custos/contracts';
import { Database, TokenEntity } from '@custos/persistence';
import type { SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../auth/principal';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { findToken } from './token-store';
import { toTokenView, type TokenView } from './token-view';

export interface TokenFilter {
  status?: TokenStatus[] | undefined;
  ownerServiceId?: string | undefined;
  scope?: string | undefined;
  environment?: TokenEnvironment | undefined;
  expiringBefore?: Date | undefined;
  /** Prefix of the name (case-insensitive) or of the lookup id. */
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

type Cursor = { c: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.c === 'string' && typeof v.i === 'string';

/** The filters of the token lists (GET /v1/tokens and the dashboard's inventory), on a query over `t`. */
export function applyTokenFilter(qb: SelectQueryBuilder<TokenEntity>, filter: TokenFilter): SelectQueryBuilder<TokenEntity> {
  if (filter.status?.length) qb.andWhere('t.status IN (:...status)', { status: filter.status });
  if (filter.ownerServiceId) qb.andWhere('t.owner_service_id = :owner', { owner: filter.ownerServiceId });
  if (filter.scope) qb.andWhere('t.scopes @> ARRAY[:scope]::text[]', { scope: filter.scope });
  if (filter.environment) qb.andWhere('t.environment = :env', { env: filter.environment });
  if (filter.expiringBefore) qb.andWhere('t.expires_at < :before', { before: filter.expiringBefore });
  if (filter.q) {
    // starts_with is leakproof, so under row-level security the planner may still answer it from an
    // index (LIKE and lower() are not, and would scan the tenant's every token).
    qb.andWhere(`(starts_with(t.name_search, :prefix) OR starts_with(t.lookup_id, :rawPrefix))`, {
      prefix: filter.q.toLowerCase(),
      rawPrefix: filter.q,
    });
  }
  return qb;
}

@Injectable()
export class TokenQuery {
  constructor(private readonly db: Database) {}

  /** Newest first; keyset pages over (created_at, id), so any depth costs the same. */
  async list(principal: Principal, filter: TokenFilter): Promise<Page<TokenView>> {
    requireScope(principal, 'custos:tokens:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const rows = await this.db.tenant(principal.tenantId, (tx) => {
      const qb = tx.manager.createQueryBuilder(TokenEntity, 't');
      applyTokenFilter(qb, filter);
      if (cursor) qb.andWhere('(t.created_at, t.id) < (:c, :i)', { c: cursor.c, i: cursor.i });
      return qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').limit(filter.limit + 1).getMany();
    });
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toTokenView),
      nextCursor: rows.length > filter.limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<TokenView> {
    requireScope(principal, 'custos:tokens:read');
    return toTokenView(await this.db.tenant(principal.tenantId, (tx) => findToken(tx, id)));
  }

  /** Every token of the rotation chain, oldest first. */
  async lineage(principal: Principal, id: string): Promise<TokenView[]> {
    requireScope(principal, 'custos:tokens:read');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const token = await findToken(tx, id);
      const chain = await tx.manager.find(TokenEntity, { where: { rootId: token.rootId }, order: { createdAt: 'ASC', id: 'ASC' } });
      return chain.map(toTokenView);
    });
  }
}
