import type { TokenEnvironment, TokenStatus } from '@custos/contracts';
import { parseTokenSearch } from '@custos/domain';
import type { SelectQueryBuilder } from 'typeorm';
import type { TokenEntity } from '../entities';

/** The filters of the token lists (GET /v1/tokens, the dashboard's inventory, the export), all optional. */
export interface TokenFilterFields {
  status?: TokenStatus[] | undefined;
  ownerServiceId?: string | undefined;
  scope?: string | undefined;
  environment?: TokenEnvironment | undefined;
  expiringBefore?: Date | undefined;
  /**
   * Prefix of the name (case-insensitive) or of the lookup id; or a token as pasted or as the Token
   * column shows it (parseTokenSearch), which finds by its environment and lookup id.
   */
  q?: string | undefined;
}

/** A page of a token list: the filters, the cursor and the page size. */
export interface TokenFilter extends TokenFilterFields {
  cursor?: string | undefined;
  limit: number;
}

/** The filters of the token lists, on a query over `t`. */
export function applyTokenFilter(qb: SelectQueryBuilder<TokenEntity>, filter: TokenFilterFields): SelectQueryBuilder<TokenEntity> {
  if (filter.status?.length) qb.andWhere('t.status IN (:...status)', { status: filter.status });
  if (filter.ownerServiceId) qb.andWhere('t.owner_service_id = :owner', { owner: filter.ownerServiceId });
  if (filter.scope) qb.andWhere('t.scopes @> ARRAY[:scope]::text[]', { scope: filter.scope });
  if (filter.environment) qb.andWhere('t.environment = :env', { env: filter.environment });
  if (filter.expiringBefore) qb.andWhere('t.expires_at < :before', { before: filter.expiringBefore });
  if (filter.q) {
    const search = parseTokenSearch(filter.q);
    // starts_with is leakproof, so under row-level security the planner may still answer it from an
    // index (LIKE and lower() are not, and would scan the tenant's every token).
    if (search.by === 'lookupId') {
      qb.andWhere('t.environment = :qEnv AND starts_with(t.lookup_id, :rawPrefix)', {
        qEnv: search.environment,
        rawPrefix: search.lookupIdPrefix,
      });
    } else {
      qb.andWhere(`(starts_with(t.name_search, :prefix) OR starts_with(t.lookup_id, :rawPrefix))`, {
        prefix: search.text.toLowerCase(),
        rawPrefix: search.text,
      });
    }
  }
  return qb;
}
