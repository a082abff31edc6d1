import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/database';

/** Rows one retention pass deleted, per table; a table at the pass's limit may have more. */
export interface UsageRetentionPass {
  events: number;
  rollups: number;
  addresses: number;
}

/**
 * Partitions and retention of usage across tenants, in a system transaction: the SECURITY DEFINER
 * functions of migrations/1765200000000-add-usage-events.ts do the work the application role may not
 * (making and dropping tables, deleting across tenants).
 */
@Injectable()
export class UsageRetentionRepository {
  /** The UTC days (YYYY-MM-DD) that have a partition, oldest first. */
  async partitionDays(tx: Tx): Promise<string[]> {
    const rows = await tx.rows<{ day: string }>(
      `SELECT to_char(to_date(substr(c.relname, 15), 'YYYYMMDD'), 'YYYY-MM-DD') AS day
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.usage_events'::regclass AND c.relname ~ '^usage_events_p[0-9]{8}$'
        ORDER BY 1`,
    );
    return rows.map((r) => r.day);
  }

  /** Drops the days past the longest retention of any tenant; the days dropped (partition names). */
  async dropExpiredPartitions(tx: Tx): Promise<string[]> {
    const rows = await tx.rows<{ name: string }>(`SELECT custos_usage_drop_partitions() AS name`);
    return rows.map((r) => r.name);
  }

  /** Deletes up to `limit` rows per table that are older than their tenant's retention (see the function). */
  async applyRetention(tx: Tx, limit: number): Promise<UsageRetentionPass> {
    const row = await tx.one<{ events: string; rollups: string; addresses: string }>(
      `SELECT events, rollups, addresses FROM custos_usage_apply_retention($1)`,
      [limit],
    );
    return { events: Number(row?.events ?? 0), rollups: Number(row?.rollups ?? 0), addresses: Number(row?.addresses ?? 0) };
  }
}
