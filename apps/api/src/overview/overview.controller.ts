import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  ACTIVITY_DAYS,
  EXPIRING_WITHIN_DAYS,
  TokenOverviewQuery,
  UNUSED_FOR_DAYS,
  type DailyTokenActivity,
  type Principal,
  type TokenOverview,
} from '@custos/application';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import type { Mirror } from '../http/mirror';
import { ApiDoc } from '../openapi/operation-docs';

export class OverviewQuery {
  @ApiPropertyOptional({ description: "Count only the tokens this service owns (a service's page); an id of no service counts none." })
  @IsOptional() @IsString() @MaxLength(64)
  ownerServiceId?: string;
}

export class StatusCountsResponse implements Mirror<TokenOverview['byStatus'], StatusCountsResponse> {
  @ApiProperty() active!: number;
  @ApiProperty() rotating!: number;
  @ApiProperty() suspended!: number;
  @ApiProperty() revoked!: number;
  @ApiProperty() expired!: number;
}

export class DailyTokenActivityResponse implements Mirror<DailyTokenActivity, DailyTokenActivityResponse> {
  @ApiProperty({ example: '2026-11-23', description: 'UTC day' }) day!: string;
  @ApiProperty({ description: 'Tokens created that day (issued or by rotation).' }) issued!: number;
  @ApiProperty() revoked!: number;
}

export class TokenOverviewResponse implements Mirror<TokenOverview, TokenOverviewResponse> {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: StatusCountsResponse }) byStatus!: StatusCountsResponse;
  @ApiProperty({ description: `Active or suspended tokens expiring within ${EXPIRING_WITHIN_DAYS} days.` }) expiringSoon!: number;
  @ApiProperty({ description: 'Active tokens whose scheduled rotation is due.' }) rotationOverdue!: number;
  @ApiProperty({ description: `Active tokens unused (not used, created or resumed) for ${UNUSED_FOR_DAYS}+ days.` }) unused!: number;
  @ApiProperty({ type: [DailyTokenActivityResponse], description: `The last ${ACTIVITY_DAYS} UTC days, oldest first.` })
  daily!: DailyTokenActivityResponse[];
}

@ApiTags('tokens')
@Controller('v1/overview')
export class OverviewController {
  constructor(private readonly overview: TokenOverviewQuery) {}

  @Get()
  @RequireScopes('custos:tokens:read')
  @ApiOperation({ summary: "The tenant's tokens at a glance: counts by status, attention needed, daily activity" })
  @ApiOkResponse({ type: TokenOverviewResponse })
  @ApiDoc({
    summary: "The tenant's tokens at a glance: counts by status, attention needed, daily activity",
    query: { ownerServiceId: 'svc_0123456789abcdef' },
  })
  get(@CurrentPrincipal() principal: Principal, @Query() query: OverviewQuery): Promise<TokenOverview> {
    return this.overview.overview(principal, query);
  }
}
