import { Inject, Injectable, Logger } from '@nestjs/common';
import { FRAMEWORK_NAMES, REPORT_JWS_TYPE, type ReportFormat } from '@custos/contracts';
import { signDetachedJws } from '@custos/crypto';
import { ActorRepository, ComplianceRepository, Database, ReportRepository, type Tx } from '@custos/persistence';
import { Actors, type ActorReads } from '../accounts/actors';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { SigningKeys } from '../audit/signing-keys';
import { crossBorderTransfers, crossBorderView } from '../usage/cross-border-query';
import { startOfHour } from '../usage/usage-query';
import { assessControl, contextFor, summaryOf, type ComplianceReads, type ControlOutcome } from './compliance-evaluator';
import { controlCatalogue, controlsFor, type ComplianceControl, type ControlContext, type EvidenceRow } from './controls';
import { CsvReportRenderer } from './renderers/csv-report.renderer';
import { JsonReportRenderer } from './renderers/json-report.renderer';
import { PdfReportRenderer } from './renderers/pdf-report.renderer';
import type { CrossBorderSection, ReportRenderer, ReportSink } from './renderers/report-renderer';
import { ReportFileWriter } from './report-file-writer';

/** What a report reads: the controls' reads, and the period's cross-border totals for its last section. */
export type ReportReads = ComplianceReads & Pick<ComplianceRepository, 'crossBorderTotals'>;

export type ReportWrites = Pick<
  ReportRepository,
  'markRunning' | 'lockRunning' | 'markDone' | 'markFailed' | 'insertPart' | 'tenantName'
>;

/** Evidence is read in pages of this many rows. */
export const EVIDENCE_PAGE = 1000;
const SYSTEM_META = { requestId: null, ip: null };

export function rendererFor(format: ReportFormat, sink: ReportSink): ReportRenderer {
  switch (format) {
    case 'json':
      return new JsonReportRenderer(sink);
    case 'csv':
      return new CsvReportRenderer(sink);
    case 'pdf':
      return new PdfReportRenderer(sink);
  }
}

/** A control's evidence in keyset pages, stopping at `cap` rows. */
export async function* evidenceStream(tx: Tx, control: ComplianceControl, ctx: ControlContext, cap: number | null): AsyncGenerator<EvidenceRow> {
  let after: string | null = null;
  let given = 0;
  for (;;) {
    const limit = cap === null ? EVIDENCE_PAGE : Math.min(EVIDENCE_PAGE, cap - given);
    if (limit <= 0) return;
    const rows = await control.evidence(tx, ctx, after, limit);
    for (const row of rows) yield row;
    given += rows.length;
    if (rows.length < limit) return;
    after = rows[rows.length - 1]!.key;
  }
}

export type GenerationResult = { status: 'done'; sha256: string; sizeBytes: number } | { status: 'failed'; error: string } | { status: 'skipped' };

/**
 * The worker's side of a report: evaluates the controls of its framework in one tenant transaction,
 * renders them as it reads the evidence, stores the file in parts, signs its SHA-256 with the tenant's
 * key (detached JWS) and records report.generated, all in that transaction. A crash rolls it all back
 * and the job's retry starts again.
 */
@Injectable()
export class ReportGenerator {
  private readonly logger = new Logger(ReportGenerator.name);
  private readonly controls: readonly ComplianceControl[];

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly sealer: AuditSealer,
    private readonly keys: SigningKeys,
    @Inject(ReportRepository) private readonly reports: ReportWrites,
    @Inject(ComplianceRepository) private readonly compliance: ReportReads,
    @Inject(ActorRepository) private readonly actors: ActorReads,
  ) {
    this.controls = controlCatalogue(compliance);
  }

  async generate(tenantId: string, reportId: string): Promise<GenerationResult> {
    // Progress only (no audit event): the outcome, report.generated or report.failed, is the record.
    const started = await this.db.tenant(tenantId, (tx) => this.reports.markRunning(tx, reportId));
    if (!started) return { status: 'skipped' };
    await this.sealer.sealTenant(tenantId);
    try {
      return await this.db.tenant(tenantId, (tx) => this.generateIn(tx, reportId));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error({ err: error, reportId }, 'report generation failed');
      await this.db.tenant(tenantId, async (tx) => {
        await this.reports.markFailed(tx, reportId, message.slice(0, 500));
        await this.audit.record(tx, SYSTEM_META, { action: 'report.failed', actor: SYSTEM_ACTOR, target: { type: 'report', id: reportId }, data: { error: message.slice(0, 500) } });
      });
      return { status: 'failed', error: message };
    }
  }

  private async generateIn(tx: Tx, reportId: string): Promise<GenerationResult> {
    // Another worker holding the row is generating it already.
    const report = await this.reports.lockRunning(tx, reportId);
    if (!report) return { status: 'skipped' };
    const ctx = await contextFor(this.compliance, tx, { from: report.periodFrom, to: report.periodTo });
    const controls = controlsFor(report.framework, this.controls);
    const outcomes: ControlOutcome[] = [];
    for (const control of controls) outcomes.push(await assessControl(tx, control, report.framework, ctx));
    const summary = summaryOf(outcomes);

    const file = new ReportFileWriter(this.reports, tx, reportId);
    const renderer = rendererFor(report.format, file);
    await renderer.begin(
      {
        reportId,
        tenantId: tx.tenantId!,
        tenantName: (await this.reports.tenantName(tx)) ?? tx.tenantId!,
        framework: report.framework,
        frameworkName: FRAMEWORK_NAMES[report.framework],
        format: report.format,
        from: report.periodFrom.toISOString(),
        to: report.periodTo.toISOString(),
        generatedAt: ctx.now.toISOString(),
        generatedBy: await this.requesterName(tx, report.requestedBy),
        summary,
      },
      outcomes,
    );
    for (const [i, control] of controls.entries()) {
      await renderer.control(outcomes[i]!, evidenceStream(tx, control, ctx, renderer.evidenceCap));
    }
    await renderer.crossBorder(await this.crossBorderSection(tx, ctx));
    await renderer.end();
    const { size, sha256 } = await file.close();

    const { key, created } = await this.keys.signingKey(tx, SYSTEM_ACTOR);
    const jws = await signDetachedJws(key.privateJwk, sha256, REPORT_JWS_TYPE);
    await this.reports.markDone(tx, reportId, { sizeBytes: size, sha256, jws, kid: key.kid, summary });
    const generated: AuditEntry = {
      action: 'report.generated',
      actor: SYSTEM_ACTOR,
      target: { type: 'report', id: reportId },
      data: { framework: report.framework, format: report.format, sha256, sizeBytes: size, kid: key.kid, requestedBy: report.requestedBy, summary },
    };
    await this.audit.record(tx, SYSTEM_META, ...(created ? [created] : []), generated);
    return { status: 'done', sha256, sizeBytes: size };
  }

  /** The period's cross-border transfers, as GET /v1/cross-border lists them for the whole tenant, read as the renderer goes. */
  private async crossBorderSection(tx: Tx, ctx: ControlContext): Promise<CrossBorderSection> {
    const period = { from: ctx.from, to: ctx.to };
    const totals = await this.compliance.crossBorderTotals(tx, period);
    const transfers = crossBorderTransfers(this.compliance, tx, period);
    const items = (async function* () {
      for await (const transfer of transfers) yield crossBorderView(transfer);
    })();
    return { from: startOfHour(ctx.from).toISOString(), to: ctx.to.toISOString(), ...totals, items };
  }

  /** The requester as the file names them: a person's e-mail (the one they had, if removed since) or a service key's name, with the id. */
  private async requesterName(tx: Tx, principalId: string): Promise<string> {
    const actor = (await Actors.load(this.actors, tx, [principalId])).of(principalId);
    const name = actor?.email ?? actor?.name;
    return name ? `${name} (${principalId})` : principalId;
  }
}
