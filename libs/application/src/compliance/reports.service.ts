import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, type Framework, type ReportFormat } from '@custos/contracts';
import { DomainError, newId } from '@custos/domain';
import { ActorRepository, Database, ReportRepository, type StoredReport, type Tx } from '@custos/persistence';
import { Actors, type ActorReads } from '../accounts/actors';
import type { Principal, RequestMeta } from '../auth/principal';
import { AuditLog, actorOf } from '../audit/audit-log';
import { decodeCursor, encodeCursor, type Page } from '../shared/keyset-cursor';
import { requireScope } from '../shared/require-scope';
import { checkPeriod } from './compliance-evaluator';
import { toReportView, type ReportView } from './report-view';

export type ReportRequests = Pick<ReportRepository, 'insert' | 'find' | 'newestFirst' | 'part'>;

/** Hands a queued report to the worker (the api's BullMQ producer). */
export interface ReportQueue {
  enqueue(job: { tenantId: string; reportId: string }): Promise<void>;
}
export const REPORT_QUEUE = Symbol('REPORT_QUEUE');

export interface ReportRequest {
  framework: Framework;
  from: Date;
  to: Date;
  format: ReportFormat;
}

/** A finished report's file: its facts, then its bytes part by part, each read in its own short transaction. */
export interface ReportDownload {
  report: ReportView;
  jws: string;
  parts: AsyncIterable<Buffer>;
}

type Cursor = { r: string; i: string };
const isCursor = (v: Record<string, unknown>): v is Cursor => typeof v.r === 'string' && typeof v.i === 'string';

/** Requesting, listing and downloading compliance reports; the worker's ReportGenerator writes them. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    @Inject(REPORT_QUEUE) private readonly queue: ReportQueue,
    @Inject(ReportRepository) private readonly reports: ReportRequests,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {}

  async request(principal: Principal, input: ReportRequest, meta: RequestMeta): Promise<ReportView> {
    requireScope(principal, 'custos:reports:write');
    checkPeriod(input);
    const id = newId('rpt');
    const view = await this.db.tenant(principal.tenantId, async (tx) => {
      const report = await this.reports.insert(tx, {
        id,
        framework: input.framework,
        from: input.from,
        to: input.to,
        format: input.format,
        requestedBy: principal.id,
      });
      await this.audit.record(tx, meta, {
        action: 'report.requested',
        actor: actorOf(principal),
        target: { type: 'report', id },
        data: { framework: input.framework, from: input.from.toISOString(), to: input.to.toISOString(), format: input.format },
      });
      // Queued once committed: a job never names a report that does not exist (the job id is the
      // report id, so a repeated enqueue is one job). The request is accepted either way: if Redis
      // refuses the job, the report stays queued and the worker's requeue sweep queues it later.
      tx.afterCommit(async () => {
        try {
          await this.queue.enqueue({ tenantId: principal.tenantId, reportId: id });
        } catch (error) {
          this.logger.warn({ err: error, reportId: id }, 'report job not queued; the requeue sweep will queue it');
        }
      });
      return (await this.views(tx, [report], principal))[0]!;
    });
    return view;
  }

  /** Newest first, keyset-paged. */
  async list(principal: Principal, filter: { cursor?: string | undefined; limit: number }): Promise<Page<ReportView>> {
    requireScope(principal, 'custos:reports:read');
    const cursor = decodeCursor(filter.cursor, isCursor);
    const { page, more, items } = await this.db.tenant(principal.tenantId, async (tx) => {
      const rows = await this.reports.newestFirst(tx, cursor ? { requestedAt: cursor.r, id: cursor.i } : null, filter.limit + 1);
      const page = rows.slice(0, filter.limit);
      return { page, more: rows.length > filter.limit, items: await this.views(tx, page.map((r) => r.report), principal) };
    });
    const last = page[page.length - 1];
    return {
      items,
      nextCursor: more && last ? encodeCursor({ r: last.cursor.requestedAt, i: last.cursor.id }) : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ReportView> {
    requireScope(principal, 'custos:reports:read');
    return this.db.tenant(principal.tenantId, async (tx) => (await this.views(tx, [await this.findReport(tx, id)], principal))[0]!);
  }

  async signature(principal: Principal, id: string): Promise<{ report: ReportView; jws: string }> {
    requireScope(principal, 'custos:reports:read');
    return this.db.tenant(principal.tenantId, async (tx) => {
      const report = await this.findReport(tx, id);
      return { report: (await this.views(tx, [report], principal))[0]!, jws: requireDone(report) };
    });
  }

  /** The download is on the record (report.downloaded) before a byte is sent. */
  async download(principal: Principal, id: string, meta: RequestMeta): Promise<ReportDownload> {
    requireScope(principal, 'custos:reports:read');
    const { report, jws } = await this.db.tenant(principal.tenantId, async (tx) => {
      const found = await this.findReport(tx, id);
      const jws = requireDone(found);
      await this.audit.record(tx, meta, {
        action: 'report.downloaded',
        actor: actorOf(principal),
        target: { type: 'report', id },
        data: { format: found.format, sha256: found.sha256 },
      });
      return { report: (await this.views(tx, [found], principal))[0]!, jws };
    });
    return { report, jws, parts: this.parts(principal.tenantId, id) };
  }

  private async *parts(tenantId: string, reportId: string): AsyncGenerator<Buffer> {
    for (let part = 0; ; part++) {
      const data = await this.db.tenant(tenantId, (tx) => this.reports.part(tx, reportId, part));
      if (!data) return;
      yield data;
    }
  }

  /** Views of reports, their requesters resolved in one query (none when the caller asked for them all). */
  private async views(tx: Tx, reports: readonly StoredReport[], caller: Principal): Promise<ReportView[]> {
    const actors = await Actors.load(this.actors, tx, reports.map((r) => r.requestedBy), caller);
    return reports.map((r) => toReportView(r, actors));
  }

  private async findReport(tx: Tx, id: string): Promise<StoredReport> {
    const report = await this.reports.find(tx, id);
    if (!report) throw new DomainError(ErrorCode.NOT_FOUND, 'No such report.');
    return report;
  }
}

function requireDone(report: StoredReport): string {
  if (report.status !== 'done' || !report.jws) {
    throw new DomainError(ErrorCode.CONFLICT, report.status === 'failed' ? 'The report failed; request a new one.' : `The report is ${report.status}; it can be downloaded once done.`);
  }
  return report.jws;
}
