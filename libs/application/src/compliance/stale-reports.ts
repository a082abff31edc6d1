import { Inject, Injectable } from '@nestjs/common';
import { Database, ReportRepository } from '@custos/persistence';

/**
 * Reports still queued a while after they were requested, in every tenant: their job was lost on the
 * way to the queue (ReportsService.request accepts the request even when Redis refuses the job). The
 * worker queues them again.
 */
@Injectable()
export class StaleReports {
  constructor(
    private readonly db: Database,
    @Inject(ReportRepository) private readonly reports: Pick<ReportRepository, 'staleQueued'>,
  ) {}

  queuedFor(olderThanSeconds: number, limit: number): Promise<Array<{ tenantId: string; reportId: string }>> {
    return this.db.system((tx) => this.reports.staleQueued(tx, olderThanSeconds, limit));
  }
}
