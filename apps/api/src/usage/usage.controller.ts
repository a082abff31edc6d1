import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UsageQuery, type Page, type Principal, type TokenUsageView, type UsageCountsView, type UsageEventView } from '@custos/application';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/operation-docs';
import { TokenUsageResponse, UsageCountsQueryDto, UsageCountsResponse, UsageEventPageResponse, UsageEventsQueryDto } from './usage.dto';

@ApiTags('usage')
@Controller('v1/usage')
export class UsageController {
  constructor(private readonly usage: UsageQuery) {}

  @Get()
  @RequireScopes('custos:usage:read')
  @ApiOkResponse({ type: UsageCountsResponse })
  @ApiDoc({
    summary: 'Uses of tokens over a period, grouped by hour, day, country, region or outcome',
    description:
      'Of the whole tenant, one token (tokenId) or the tokens of a service (serviceId); counted from hourly rollups, never raw events. ' +
      'The period defaults to the last 30 days and spans at most 400 days, 31 by hour; a longer one, or one that ends before it starts, answers 400.',
    query: { groupBy: 'day', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', kind: 'verify' },
  })
  counts(@CurrentPrincipal() principal: Principal, @Query() query: UsageCountsQueryDto): Promise<UsageCountsView> {
    return this.usage.counts(principal, { ...query, groupBy: query.groupBy ?? 'day' });
  }

  @Get('events')
  @RequireScopes('custos:usage:read')
  @ApiOkResponse({ type: UsageEventPageResponse })
  @ApiDoc({
    summary: 'Usage events, newest first',
    description:
      'Each use with its outcome, the network it came from (never a whole address), observed and claimed country, region, resource, ' +
      'transport and user agent. Filters: tokenId, serviceId, kind, outcome, country, crossBorder, from, to. Keyset-paged.',
    query: { outcome: 'VALID', country: 'DE', crossBorder: 'false', limit: 20 },
  })
  events(@CurrentPrincipal() principal: Principal, @Query() query: UsageEventsQueryDto): Promise<Page<UsageEventView>> {
    return this.usage.events(principal, { ...query, limit: query.limit ?? 50 });
  }
}

/** A token's usage, under the token's path; its use case is usage's. */
@ApiTags('usage')
@Controller('v1/tokens')
export class TokenUsageController {
  constructor(private readonly usage: UsageQuery) {}

  @Get(':id/usage')
  @RequireScopes('custos:usage:read')
  @ApiOkResponse({ type: TokenUsageResponse })
  @ApiDoc({
    summary: "Where a token is used from: its latest use, its countries, and its last 30 days' outcomes, addresses and cross-border uses",
    description: 'Countries cover all the usage kept (the tenant\'s usage retention); the *30d fields the last 30 days. Addresses are counted, never shown.',
  })
  summary(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TokenUsageView> {
    return this.usage.tokenSummary(principal, id);
  }
}
