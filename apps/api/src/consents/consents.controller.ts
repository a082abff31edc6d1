import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ConsentsService,
  type ConsentDetail,
  type ConsentView,
  type Page,
  type Principal,
  type RequestMeta,
  type Withdrawal,
} from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import {
  ConsentDetailResponse,
  ConsentPageResponse,
  ConsentResponse,
  CreateConsentDto,
  ListConsentsQuery,
  RenewConsentDto,
  WithdrawConsentDto,
  WithdrawalResponse,
} from './consents.dto';

@ApiTags('consents')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Post()
  @RequireScopes('custos:consents:write')
  @ApiCreatedResponse({ type: ConsentResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateConsentDto, @Meta() meta: RequestMeta): Promise<ConsentView> {
    return this.consents.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:consents:read')
  @ApiOkResponse({ type: ConsentPageResponse, description: 'Latest window start first, keyset-paged.' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListConsentsQuery): Promise<Page<ConsentView>> {
    return this.consents.list(principal, { ...query, limit: query.limit ?? 50 });
  }

  @Get(':id')
  @RequireScopes('custos:consents:read')
  @ApiOkResponse({ type: ConsentDetailResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ConsentDetail> {
    return this.consents.get(principal, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequireScopes('custos:consents:write')
  @ApiOkResponse({ type: WithdrawalResponse, description: 'Final; every bound token that could still be used is revoked with it.' })
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: WithdrawConsentDto,
    @Meta() meta: RequestMeta,
  ): Promise<Withdrawal> {
    return this.consents.withdraw(principal, id, body, meta);
  }

  @Post(':id/renew')
  @HttpCode(200)
  @RequireScopes('custos:consents:write')
  @ApiOkResponse({ type: ConsentResponse, description: 'A new version with a later end; earlier versions are kept.' })
  renew(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RenewConsentDto,
    @Meta() meta: RequestMeta,
  ): Promise<ConsentView> {
    return this.consents.renew(principal, id, body, meta);
  }
}
