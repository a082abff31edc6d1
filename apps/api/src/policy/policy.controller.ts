import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { PolicyService, type PolicyView, type Principal, type RequestMeta } from '@custos/application';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, Min, ValidateIf } from 'class-validator';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { IsDataCategory, MAX_GRACE_SECONDS, MAX_LIFETIME_SECONDS } from '../http/validators';
import type { Mirror } from '../http/mirror';
import { ApiDoc } from '../openapi/operation-docs';

export class PolicyDto {
  @ApiProperty({ minimum: 60, example: 7776000, description: 'Longest lifetime a token may be issued with.' })
  @IsInt() @Min(60) @Max(MAX_LIFETIME_SECONDS)
  maxLifetimeSeconds!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 60, description: 'Rotation interval for new tokens that give none.' })
  @ValidateIf((_o, v) => v !== null) @IsInt() @Min(60) @Max(MAX_LIFETIME_SECONDS)
  defaultRotationIntervalSeconds!: number | null;

  @ApiProperty({ minimum: 0, example: 86400 })
  @IsInt() @Min(0) @Max(MAX_GRACE_SECONDS)
  defaultGracePeriodSeconds!: number;

  @ApiProperty({ minimum: 1, example: 90 })
  @IsInt() @Min(1) @Max(3650)
  disableUnusedAfterDays!: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['personal', 'health'],
    description: 'Data categories a token may only reach when bound to a consent. Left out: unchanged.',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @IsDataCategory({ each: true })
  requireConsentFor?: string[];
}

export class PolicyResponse extends PolicyDto implements Mirror<PolicyView, PolicyResponse> {
  @ApiProperty({ type: [String], example: ['personal', 'health'] }) declare requireConsentFor: string[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiTags('policy')
@Controller('v1/policy')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get()
  @RequireScopes('custos:policy:read')
  @ApiOkResponse({ type: PolicyResponse })
  @ApiDoc({ summary: "The tenant's token policy" })
  get(@CurrentPrincipal() principal: Principal): Promise<PolicyView> {
    return this.policies.get(principal);
  }

  @Put()
  @RequireScopes('custos:policy:write')
  @ApiOkResponse({ type: PolicyResponse })
  @ApiDoc({
    summary: "Replace the tenant's token policy",
    description: 'Every api instance applies it within 5 seconds. requireConsentFor left out: unchanged.',
    example: {
      maxLifetimeSeconds: 7776000,
      defaultRotationIntervalSeconds: null,
      defaultGracePeriodSeconds: 86400,
      disableUnusedAfterDays: 90,
      requireConsentFor: ['personal', 'health'],
    },
  })
  replace(@CurrentPrincipal() principal: Principal, @Body() body: PolicyDto, @Meta() meta: RequestMeta): Promise<PolicyView> {
    return this.policies.replace(principal, body, meta);
  }
}
