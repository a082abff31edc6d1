import { Injectable } from '@nestjs/common';
import { Database } from '@custos/persistence';

/**
 * Reports still queued a while after they were requested, in every tenant: their job was lost on the
 * way to the queue (ReportsService.request accepts the request even when Redis refuses the job). The
 * worker queues them again.
 */
@Injectable()
export class StaleReports {
  constructor(private readonly db: Database) {}

  async queuedFor(olderThanSeconds: number, limit: number): Promise<Array<{ tenantId: string; reportId: string }>> {
    const rows = await this.db.system((tx) =>
      tx.rows<{ tenant_id: string; id: string }>(`SELECT tenant_id, id FROM custos_stale_queued_reports($1, $2)`, [olderThanSeconds, limit]),
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, reportId: r.id }));
  }
}
