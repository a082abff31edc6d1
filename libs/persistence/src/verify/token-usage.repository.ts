import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/** Uses of one token since the last write, summed. */
export interface TokenUses {
  tokenId: string;
  count: number;
  lastUsedAt: Date;
  /** Already truncated to its network: an address is personal data. */
  lastUsedIp: string | null;
}

/** last_used_at / use_count, written in bulk (UsageRecorder sums uses in memory between writes). */
@Injectable()
export class TokenUsageRepository {
  /** Adds the uses to the transaction's tenant's tokens in one statement; tokens of other tenants are not touched. */
  async addUses(tx: Tx, uses: readonly TokenUses[]): Promise<void> {
    await tx.rows(
      `UPDATE tokens t SET use_count = t.use_count + u.n,
              last_used_at = GREATEST(t.last_used_at, u.at),
              last_used_ip = COALESCE(u.ip, t.last_used_ip)
         FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[]) AS u(id, n, at, ip)
        WHERE t.id = u.id`,
      [uses.map((u) => u.tokenId), uses.map((u) => u.count), uses.map((u) => u.lastUsedAt), uses.map((u) => u.lastUsedIp)],
    );
  }
}
