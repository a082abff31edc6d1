import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AlertPolicy, AlertPolicyInput } from '@custos/application';
import { ALERT_REMEDIATIONS, ALERT_SEVERITIES, type AlertRemediation, type AlertRule, type AlertSeverity } from '@custos/contracts';
import { ALERT_THRESHOLD_MAX, NEW_COUNTRY_LOOKBACK_MAX_SECONDS, type AlertRuleOverride, type AlertRuleOverrides, type AlertRuleSettings } from '@custos/domain';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, Max, Min, ValidateNested } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { IsOptionalButNotNull } from '../http/validators';

/** One rule's settings in a PUT: each field left out keeps its current value. */
export class AlertRuleDto implements Mirror<AlertRuleOverride, AlertRuleDto> {
  @ApiPropertyOptional()
  @IsOptionalButNotNull() @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: ALERT_THRESHOLD_MAX, description: 'Only for the rules that count (see docs/alerts.md).' })
  @IsOptionalButNotNull() @IsInt() @Min(1) @Max(ALERT_THRESHOLD_MAX)
  threshold?: number;

  @ApiPropertyOptional({ minimum: 10, maximum: NEW_COUNTRY_LOOKBACK_MAX_SECONDS, description: 'Only for the rules that count in a window (at most a day; new_country: 90 days).' })
  @IsOptionalButNotNull() @IsInt() @Min(10) @Max(NEW_COUNTRY_LOOKBACK_MAX_SECONDS)
  windowSeconds?: number;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES })
  @IsOptionalButNotNull() @IsIn(ALERT_SEVERITIES)
  severity?: AlertSeverity;

  @ApiPropertyOptional({ enum: ALERT_REMEDIATIONS, description: 'What the rule does to the token when it raises an alert.' })
  @IsOptionalButNotNull() @IsIn(ALERT_REMEDIATIONS)
  remediation?: AlertRemediation;
}

const ruleInput = (): PropertyDecorator => {
  const decorators = [ApiPropertyOptional({ type: AlertRuleDto }), IsOptionalButNotNull(), ValidateNested(), Type(() => AlertRuleDto)];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** The rules a PUT changes; rules left out keep their settings. */
export class AlertRulesDto implements Mirror<AlertRuleOverrides, AlertRulesDto> {
  @ruleInput() dead_token_used?: AlertRuleDto;
  @ruleInput() cross_border_use?: AlertRuleDto;
  @ruleInput() new_country?: AlertRuleDto;
  @ruleInput() many_networks?: AlertRuleDto;
  @ruleInput() usage_spike?: AlertRuleDto;
  @ruleInput() brute_force?: AlertRuleDto;
  @ruleInput() plaintext_transport?: AlertRuleDto;
  @ruleInput() rate_limited_repeatedly?: AlertRuleDto;
  @ruleInput() leaked?: AlertRuleDto;
  @ruleInput() new_country_sign_in?: AlertRuleDto;
}

export class AlertPolicyDto implements Mirror<AlertPolicyInput, AlertPolicyDto> {
  @ApiPropertyOptional({ type: AlertRulesDto })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => AlertRulesDto)
  rules?: AlertRulesDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 10080, example: 60, description: 'Alerts should be acknowledged within this many minutes.' })
  @IsOptionalButNotNull() @IsInt() @Min(1) @Max(10080)
  ackWithinMinutes?: number;

  @ApiPropertyOptional({ description: 'Remediation may suspend or revoke service keys holding custos:policy:write or custos:users:write. Off by default.' })
  @IsOptionalButNotNull() @IsBoolean()
  remediateOwnerServiceKeys?: boolean;
}

export class AlertRuleResponse implements Mirror<AlertRuleSettings, AlertRuleResponse> {
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ description: 'Absent for rules that fire on one event.' }) threshold?: number;
  @ApiPropertyOptional({ description: 'Absent for rules that fire on one event.' }) windowSeconds?: number;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity!: AlertSeverity;
  @ApiProperty({ enum: ALERT_REMEDIATIONS }) remediation!: AlertRemediation;
}

export class AlertRulesResponse implements Mirror<Record<AlertRule, AlertRuleSettings>, AlertRulesResponse> {
  @ApiProperty({ type: AlertRuleResponse }) dead_token_used!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) cross_border_use!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) new_country!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) many_networks!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) usage_spike!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) brute_force!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) plaintext_transport!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) rate_limited_repeatedly!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) leaked!: AlertRuleResponse;
  @ApiProperty({ type: AlertRuleResponse }) new_country_sign_in!: AlertRuleResponse;
}

export class AlertPolicyResponse implements Mirror<AlertPolicy, AlertPolicyResponse> {
  @ApiProperty({ type: AlertRulesResponse }) rules!: AlertRulesResponse;
  @ApiProperty() ackWithinMinutes!: number;
  @ApiProperty() remediateOwnerServiceKeys!: boolean;
}
