import { Injectable } from '@nestjs/common';
import type { TokenStatus } from '@custos/contracts';
import type { Tx } from '../database/database';

/** A count per UTC day (YYYY-MM-DD); days without any are absent. */
export interface DayCount {
  day: string;
  n: number;
}

/** The overview's figures as the database counts them. */
export interface TokenFigures {
  byStatus: Array<{ status: TokenStatus; n: number }>;
  expiring: number;
  overdue: number;
  unused: number;
  issued: DayCount[];
  revoked: DayCount[];
}

/** The moments the figures are counted against, and whose tokens they count. */
export interface FigureBounds {
  now: Date;
  /** Active or suspended tokens expiring in [now, expiringBy). */
  expiringBy: Date;
  /** Active tokens quiet (not used, created or resumed) since this moment or longer. */
  unusedSince: Date;
  /** Issued and revoked from this moment on, per day. */
  firstDay: Date;
  /** Only the tokens this service owns; null for all of the tenant's. */
  ownerServiceId: string | null;
}

/** The dashboard overview's counts of the transaction's tenant's tokens. */
@Injectable()
export class TokenOverviewRepository {
  async figures(tx: Tx, { now, expiringBy, unusedSince, firstDay, ownerServiceId }: FigureBounds): Promise<TokenFigures> {
    // Row-level security scopes every query to the transaction's tenant; the conditions mirror the
    // partial indexes of the lifecycle sweeps, so each count is an index range scan. One service's
    // figures add its id (the last parameter), which tokens_owner_idx answers.
    const scoped = (conditions: string, params: unknown[]): [string, unknown[]] =>
      ownerServiceId === null ? [conditions, params] : [`${conditions} AND owner_service_id = $${params.length + 1}`, [...params, ownerServiceId]];
    const count = async (conditions: string, params: unknown[]) => {
      const [where, values] = scoped(conditions, params);
      return (await tx.one<{ n: number }>(`SELECT count(*)::int AS n FROM tokens WHERE ${where}`, values))?.n ?? 0;
    };
    const perDay = (column: 'created_at' | 'revoked_at') => {
      const [where, values] = scoped(`${column} >= $1`, [firstDay]);
      return tx.rows<DayCount>(
        `SELECT to_char(date_trunc('day', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS n
           FROM tokens WHERE ${where} GROUP BY date_trunc('day', ${column} AT TIME ZONE 'UTC')`,
        values,
      );
    };
    const [all, allParams] = scoped('true', []);
    const figures = {
      statuses: await tx.rows<{ status: TokenStatus; n: number }>(`SELECT status, count(*)::int AS n FROM tokens WHERE ${all} GROUP BY status`, allParams),
      expiring: await count(`status IN ('active', 'suspended') AND expires_at >= $1 AND expires_at < $2`, [now, expiringBy]),
      overdue: await count(`status = 'active' AND next_rotation_at IS NOT NULL AND next_rotation_at <= $1`, [now]),
      unused: await count(`status = 'active' AND greatest(created_at, last_used_at, resumed_at) <= $1`, [unusedSince]),
      issued: await perDay('created_at'),
      revoked: await perDay('revoked_at'),
    };
    return {
      byStatus: figures.statuses,
      expiring: figures.expiring,
      overdue: figures.overdue,
      unused: figures.unused,
      issued: figures.issued,
      revoked: figures.revoked,
    };
  }
}
