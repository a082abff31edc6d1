import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AlertStatusChange, AlertView, Page } from '@custos/application';
import { ALERT_RULES, ALERT_SEVERITIES, ALERT_STATUSES, type AlertRule, type AlertSeverity, type AlertStatus } from '@custos/contracts';
import type { AlertEvidenceEvent, AlertRemediationRecord } from '@custos/persistence';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { PageQuery } from '../http/page-query';
import { IsDateInRange } from '../http/validators';

export class ListAlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES }) @IsOptional() @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES }) @IsOptional() @IsIn(ALERT_SEVERITIES)
  severity?: AlertSeverity;

  @ApiPropertyOptional({ enum: ALERT_RULES }) @IsOptional() @IsIn(ALERT_RULES)
  rule?: AlertRule;

  @ApiPropertyOptional({ example: 'tok_…' }) @IsOptional() @IsString() @MaxLength(64)
  tokenId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Alerts last seen at or after this moment.' })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Alerts first seen before this moment.' })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  to?: Date;
}

export class AlertStatusChangeDto {
  @ApiPropertyOptional({ maxLength: 1000, example: 'Looking into it with the orders team.' })
  @IsOptional() @IsString() @Length(1, 1000)
  comment?: string;
}

export class AlertEvidenceResponse implements Mirror<AlertEvidenceEvent, AlertEvidenceResponse> {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'REVOKED' }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.0/24', description: 'The network, never the whole address.' }) ipPrefix!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) country!: string | null;
  @ApiProperty({ type: String, nullable: true }) resource!: string | null;
  @ApiProperty({ example: 'https' }) transport!: string;
  @ApiProperty({ type: String, nullable: true }) callerId!: string | null;
}

export class AlertRemediationResponse implements Mirror<AlertRemediationRecord, AlertRemediationResponse> {
  @ApiProperty({ enum: ['none', 'suspend', 'revoke'] }) action!: 'none' | 'suspend' | 'revoke';
  @ApiPropertyOptional({ description: 'Why nothing was done although the rule asks for it: owner_service_key, token_status.' }) skipped?: string;
  @ApiPropertyOptional({ format: 'date-time' }) at?: string;
}

export class AlertStatusChangeResponse implements Mirror<AlertStatusChange, AlertStatusChangeResponse> {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'A user or service key id.' }) by!: string | null;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
}

export class AlertResponse implements Mirror<AlertView, AlertResponse> {
  @ApiProperty({ example: 'alr_…' }) id!: string;
  @ApiProperty({ enum: ALERT_RULES }) rule!: AlertRule;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity!: AlertSeverity;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty({ example: 'token:tok_…', description: 'token:<id>, or for brute_force caller:<service key id> or network:<cidr>.' }) subject!: string;
  @ApiProperty({ type: String, nullable: true }) tokenId!: string | null;
  @ApiProperty({ type: String, nullable: true }) serviceId!: string | null;
  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty({ description: 'Uses or reports counted into it.' }) count!: number;
  @ApiProperty({ type: [AlertEvidenceResponse] }) evidence!: AlertEvidenceResponse[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: "What the rule saw: its threshold and window and the figures that passed them." })
  details!: Record<string, unknown>;
  @ApiProperty({ type: AlertRemediationResponse, nullable: true }) remediation!: AlertRemediationResponse | null;
  @ApiProperty({ type: AlertStatusChangeResponse, nullable: true }) acknowledged!: AlertStatusChangeResponse | null;
  @ApiProperty({ type: AlertStatusChangeResponse, nullable: true }) resolved!: AlertStatusChangeResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AlertPageResponse implements Mirror<Page<AlertView>, AlertPageResponse> {
  @ApiProperty({ type: [AlertResponse] }) items!: AlertResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
