import { Inject, Injectable, Logger } from '@nestjs/common';
import { FRAMEWORK_NAMES, REPORT_JWS_TYPE, type Framework, type ReportFormat } from '@custos/contracts';
import { signDetachedJws } from '@custos/crypto';
import { AccessReviewRepository, ActorRepository, ComplianceRepository, Database, ReportRepository, type StoredReport, type Tx } from '@custos/persistence';
import { Actors, type ActorReads } from '../accounts/actors';
import { AuditLog, SYSTEM_ACTOR, type AuditEntry } from '../audit/audit-log';
import { AuditSealer } from '../audit/audit-sealer';
import { SigningKeys } from '../audit/signing-keys';
import { crossBorderTransfers, crossBorderView } from '../usage/cross-border-query';
import { startOfHour } from '../usage/usage-query';
import { assessControl, contextFor, summaryOf, type ComplianceReads } from './compliance-evaluator';
import { controlCatalogue, controlsFor, type ComplianceControl, type ControlContext, type EvidenceRow } from './controls';
import { CsvReportRenderer } from './renderers/csv-report.renderer';
import { JsonReportRenderer } from './renderers/json-report.renderer';
import { PdfReportRenderer } from './renderers/pdf-report.renderer';
import type { CrossBorderSection, ReportRenderer, ReportSink } from './renderers/report-renderer';
import { ReportFileWriter } from './report-file-writer';
import { campaignReportContent, type CampaignReportReads, type ReportContent, type ReportSection } from './report-content';

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
    @Inject(AccessReviewRepository) private readonly campaigns: CampaignReportReads,
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
    const content = report.campaignId ? await campaignReportContent(this.campaigns, tx, report.campaignId) : await this.frameworkContent(tx, report);
    const file = new ReportFileWriter(this.reports, tx, reportId);
    const renderer = rendererFor(report.format, file);
    const outcomes = content.sections.map((section) => section.outcome);
    await renderer.begin(
      {
        reportId,
        tenantId: tx.tenantId!,
        tenantName: (await this.reports.tenantName(tx)) ?? tx.tenantId!,
        framework: report.framework,
        frameworkName: content.title,
        format: report.format,
        from: report.periodFrom.toISOString(),
        to: report.periodTo.toISOString(),
        generatedAt: content.now.toISOString(),
        generatedBy: await this.requesterName(tx, report.requestedBy),
        summary: content.summary,
      },
      outcomes,
    );
    for (const section of content.sections) await renderer.control(section.outcome, section.evidence(renderer.evidenceCap));
    if (content.crossBorder) await renderer.crossBorder(await content.crossBorder());
    await renderer.end();
    const { size, sha256 } = await file.close();

    const { key, created } = await this.keys.signingKey(tx, SYSTEM_ACTOR);
    const jws = await signDetachedJws(key.privateJwk, sha256, REPORT_JWS_TYPE);
    const summary = content.summary;
    await this.reports.markDone(tx, reportId, { sizeBytes: size, sha256, jws, kid: key.kid, summary });
    const generated: AuditEntry = {
      action: 'report.generated',
      actor: SYSTEM_ACTOR,
      target: { type: 'report', id: reportId },
      data: { framework: report.framework, ...(report.campaignId ? { campaignId: report.campaignId } : {}), format: report.format, sha256, sizeBytes: size, kid: key.kid, requestedBy: report.requestedBy, summary },
    };
    await this.audit.record(tx, SYSTEM_META, ...(created ? [created] : []), generated);
    return { status: 'done', sha256, sizeBytes: size };
  }

  /** A framework's controls evaluated over the period, each with its evidence, then the period's cross-border transfers. */
  private async frameworkContent(tx: Tx, report: StoredReport & { framework: Framework | null }): Promise<ReportContent> {
    const framework = report.framework!;
    const ctx = await contextFor(this.compliance, tx, { from: report.periodFrom, to: report.periodTo });
    const controls = controlsFor(framework, this.controls);
    const sections: ReportSection[] = [];
    for (const control of controls) {
      const outcome = await assessControl(tx, control, framework, ctx);
      sections.push({ outcome, evidence: (cap) => evidenceStream(tx, control, ctx, cap) });
    }
    return {
      title: FRAMEWORK_NAMES[framework],
      now: ctx.now,
      summary: summaryOf(sections.map((s) => s.outcome)),
      sections,
      crossBorder: () => this.crossBorderSection(tx, ctx),
    };
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
