import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTROL_STATUSES, FRAMEWORKS, REPORT_FORMATS, REPORT_STATUSES, type ControlStatus, type Framework, type ReportFormat, type ReportStatus } from '@custos/contracts';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ControlOutcomeWithEvidence, EvidenceRow, Page, ReportView } from '@custos/application';
import { ActorResponse } from '../accounts/accounts.dto';
import { PageQuery } from '../http/page-query';
import type { Mirror } from '../http/mirror';

export class RequestReportDto {
  @ApiProperty({ enum: FRAMEWORKS }) @IsIn(FRAMEWORKS)
  framework!: Framework;

  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the period (inclusive).' })
  @Type(() => Date) @IsDate()
  from!: Date;

  @ApiProperty({ type: String, format: 'date-time', description: 'End of the period (exclusive), after from; at most 3 years later.' })
  @Type(() => Date) @IsDate()
  to!: Date;

  @ApiProperty({ enum: REPORT_FORMATS }) @IsIn(REPORT_FORMATS)
  format!: ReportFormat;
}

export class ListReportsQuery extends PageQuery {}

export class ReportSummaryResponse implements Mirror<Record<ControlStatus, number>, ReportSummaryResponse> {
  @ApiProperty() pass!: number;
  @ApiProperty() warn!: number;
  @ApiProperty() fail!: number;
}

export class ReportResponse implements Mirror<ReportView, ReportResponse> {
  @ApiProperty({ example: 'rpt_0Kq3…' }) id!: string;
  @ApiProperty({ enum: FRAMEWORKS, nullable: true, description: "Null for an access review campaign's report." }) framework!: Framework | null;
  @ApiProperty({ type: String, nullable: true, description: 'The access review campaign the report is of (POST /v1/access-reviews/:id/close).' })
  campaignId!: string | null;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: REPORT_FORMATS }) format!: ReportFormat;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: ReportStatus;
  @ApiProperty({ description: 'The user or service key that asked for it.' }) requestedBy!: string;
  @ApiProperty({ type: ActorResponse, nullable: true, description: "Who requestedBy names: a person's e-mail, a service key's name." })
  requestedByActor!: ActorResponse | null;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'SHA-256 (hex) of the file.' }) sha256!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The signing key's kid in /v1/tenants/current/jwks.json." }) kid!: string | null;
  @ApiProperty({ type: ReportSummaryResponse, nullable: true }) summary!: ReportSummaryResponse | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class ReportPageResponse implements Mirror<Page<ReportView>, ReportPageResponse> {
  @ApiProperty({ type: [ReportResponse] }) items!: ReportResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ReportSignatureResponse {
  @ApiProperty() reportId!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the file: the detached payload.' }) sha256!: string;
  @ApiProperty({ description: 'Detached compact JWS (header..signature), ES256, typ custos-report-digest+jws.' }) jws!: string;
  @ApiProperty() kid!: string;
}

export class ComplianceControlsQuery {
  @ApiProperty({ enum: FRAMEWORKS }) @IsIn(FRAMEWORKS)
  framework!: Framework;

  @ApiProperty({ type: String, format: 'date-time' }) @Type(() => Date) @IsDate()
  from!: Date;

  @ApiProperty({ type: String, format: 'date-time' }) @Type(() => Date) @IsDate()
  to!: Date;

  @ApiPropertyOptional({ minimum: 0, maximum: 200, default: 20, description: 'Evidence rows returned per control.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(200)
  evidenceLimit?: number;
}

export class EvidenceRowResponse implements Mirror<Omit<EvidenceRow, 'key'>, EvidenceRowResponse> {
  @ApiProperty() subject!: string;
  @ApiProperty() detail!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, string | number | boolean | null>;
}

export class ControlOutcomeResponse implements Mirror<ControlOutcomeWithEvidence, ControlOutcomeResponse> {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String], description: "The chosen framework's clauses." }) clauses!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'Every framework the control maps to.' })
  mappings!: Partial<Record<Framework, string[]>>;
  @ApiProperty({ enum: CONTROL_STATUSES }) status!: ControlStatus;
  @ApiProperty() summary!: string;
  @ApiProperty() evidenceCount!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) metrics!: Record<string, number | string | null>;
  @ApiProperty({ type: [EvidenceRowResponse] }) evidence!: EvidenceRowResponse[];
}

export class ControlTableResponse {
  @ApiProperty({ enum: FRAMEWORKS }) framework!: Framework;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: ReportSummaryResponse }) summary!: ReportSummaryResponse;
  @ApiProperty({ type: [ControlOutcomeResponse] }) items!: ControlOutcomeResponse[];
}
