import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/** Uses of one token since the last write, summed. */
export interface TokenUses {
  tokenId: string;
  count: number;
  lastUsedAt: Date;
  /** Already truncated to its network: an address is personal data. */
  lastUsedIp: string | null;
  /** The observed country of the latest use, if known. */
  lastUsedCountry: string | null;
  /** The countries of these uses. */
  countries: readonly string[];
  /** The latest of these uses that crossed the token's residency border. */
  lastCrossBorderAt: Date | null;
  /** The scopes these uses asked for (all held by the token: a VALID verify), each with its latest use. */
  scopes: readonly { scope: string; at: Date }[];
}

/** last_used_at / use_count / where, written in bulk (UsageRecorder sums uses in memory between writes). */
@Injectable()
export class TokenUsageRepository {
  /** Adds the uses to the transaction's tenant's tokens in one statement; tokens of other tenants are not touched. */
  async addUses(tx: Tx, uses: readonly TokenUses[]): Promise<void> {
    await tx.rows(
      `UPDATE tokens t SET use_count = t.use_count + u.n,
              last_used_at = GREATEST(t.last_used_at, u.at),
              last_used_ip = COALESCE(u.ip, t.last_used_ip),
              last_used_country = COALESCE(u.country, t.last_used_country),
              countries_seen = CASE WHEN u.countries = '' THEN t.countries_seen
                ELSE ARRAY(SELECT DISTINCT c FROM unnest(t.countries_seen || string_to_array(u.countries, ',')) c ORDER BY c) END,
              last_cross_border_at = GREATEST(t.last_cross_border_at, u.crossed)
         FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
              AS u(id, n, at, ip, country, countries, crossed)
        WHERE t.id = u.id`,
      [
        uses.map((u) => u.tokenId),
        uses.map((u) => u.count),
        uses.map((u) => u.lastUsedAt),
        uses.map((u) => u.lastUsedIp),
        uses.map((u) => u.lastUsedCountry),
        // Country codes hold no comma; one text per token, since unnest flattens arrays of arrays.
        uses.map((u) => u.countries.join(',')),
        uses.map((u) => u.lastCrossBorderAt),
      ],
    );
    const scoped = uses.flatMap((u) => u.scopes.map((s) => ({ tokenId: u.tokenId, ...s })));
    if (scoped.length === 0) return;
    await tx.rows(
      `INSERT INTO token_scope_uses AS s (tenant_id, token_id, scope, last_used_at)
       SELECT $1, u.id, u.scope, u.at FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS u(id, scope, at)
       ON CONFLICT (tenant_id, token_id, scope) DO UPDATE SET last_used_at = GREATEST(s.last_used_at, EXCLUDED.last_used_at)`,
      [tx.tenantId, scoped.map((u) => u.tokenId), scoped.map((u) => u.scope), scoped.map((u) => u.at)],
    );
  }

}
