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

/** The moments the figures are counted against. */
export interface FigureBounds {
  now: Date;
  /** Active or suspended tokens expiring in [now, expiringBy). */
  expiringBy: Date;
  /** Active tokens quiet (not used, created or resumed) since this moment or longer. */
  unusedSince: Date;
  /** Issued and revoked from this moment on, per day. */
  firstDay: Date;
}

/** The dashboard overview's counts of the transaction's tenant's tokens. */
@Injectable()
export class TokenOverviewRepository {
  async figures(tx: Tx, { now, expiringBy, unusedSince, firstDay }: FigureBounds): Promise<TokenFigures> {
    // Row-level security scopes every query to the transaction's tenant; the conditions mirror the
    // partial indexes of the lifecycle sweeps, so each count is an index range scan.
    const figures = {
      statuses: await tx.rows<{ status: TokenStatus; n: number }>('SELECT status, count(*)::int AS n FROM tokens GROUP BY status'),
      expiring: await tx.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM tokens
          WHERE status IN ('active', 'suspended') AND expires_at >= $1 AND expires_at < $2`,
        [now, expiringBy],
      ),
      overdue: await tx.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM tokens
          WHERE status = 'active' AND next_rotation_at IS NOT NULL AND next_rotation_at <= $1`,
        [now],
      ),
      unused: await tx.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM tokens
          WHERE status = 'active' AND greatest(created_at, last_used_at, resumed_at) <= $1`,
        [unusedSince],
      ),
      issued: await tx.rows<DayCount>(
        `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS n
           FROM tokens WHERE created_at >= $1 GROUP BY date_trunc('day', created_at AT TIME ZONE 'UTC')`,
        [firstDay],
      ),
      revoked: await tx.rows<DayCount>(
        `SELECT to_char(date_trunc('day', revoked_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS n
           FROM tokens WHERE revoked_at >= $1 GROUP BY date_trunc('day', revoked_at AT TIME ZONE 'UTC')`,
        [firstDay],
      ),
    };
    return {
      byStatus: figures.statuses,
      expiring: figures.expiring?.n ?? 0,
      overdue: figures.overdue?.n ?? 0,
      unused: figures.unused?.n ?? 0,
      issued: figures.issued,
      revoked: figures.revoked,
    };
  }
}
