import type { TokenEnvironment, TokenStatus } from '@custos/contracts';
import { countriesOf, parseTokenSearch } from '@custos/domain';
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
  /** Used (a VALID use) from this country, or from a country of this region group (the tenant's own included). */
  usedIn?: string | undefined;
  /** Used from outside its residency region (true), or never (false). */
  crossBorder?: boolean | undefined;
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
  if (filter.usedIn) {
    // A tenant's group of that code comes first (it replaces a built-in one of the same code).
    qb.andWhere(
      `t.countries_seen && coalesce(
         (SELECT array_agg(c) FROM tenant_policies p, jsonb_array_elements(p.region_groups) g, jsonb_array_elements_text(g->'countries') c
           WHERE p.tenant_id = t.tenant_id AND g->>'code' = :usedIn),
         :usedInCountries::text[])`,
      { usedIn: filter.usedIn, usedInCountries: [...countriesOf([filter.usedIn])] },
    );
  }
  if (filter.crossBorder !== undefined) qb.andWhere(`t.last_cross_border_at IS ${filter.crossBorder ? 'NOT NULL' : 'NULL'}`);
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
