import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
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
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('consents')
@Controller('v1/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Post()
  @RequireScopes('custos:consents:write')
  @ApiCreatedResponse({ type: ConsentResponse })
  @ApiDoc({
    summary: "Record a data subject's consent",
    description: 'subjectRef is a pseudonymous reference of your choosing, never an e-mail address or a name. Tokens bind to it with consentId.',
    example: {
      subjectRef: 'subj_7f3a9c',
      purpose: 'order-fulfilment',
      dataCategories: ['personal', 'contact'],
      lawfulBasis: 'consent',
      jurisdiction: 'EU',
      validFrom: '2026-12-01T00:00:00.000Z',
      validUntil: '2027-12-01T00:00:00.000Z',
      source: 'web-signup-form-v3',
    },
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateConsentDto, @Meta() meta: RequestMeta): Promise<ConsentView> {
    return this.consents.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:consents:read')
  @ApiOkResponse({ type: ConsentPageResponse, description: 'Latest window start first, keyset-paged.' })
  @ApiDoc({ summary: 'Consents, latest window start first', query: { purpose: 'order-fulfilment', status: 'active', limit: 20 } })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListConsentsQuery): Promise<Page<ConsentView>> {
    return this.consents.list(principal, { ...query, limit: query.limit ?? 50 });
  }

  @Get(':id')
  @RequireScopes('custos:consents:read')
  @ApiOkResponse({ type: ConsentDetailResponse })
  @ApiDoc({ summary: 'Get a consent with its versions and bound tokens' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ConsentDetail> {
    return this.consents.get(principal, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @RequireScopes('custos:consents:write')
  @ApiOkResponse({ type: WithdrawalResponse, description: 'Final; every bound token that could still be used is revoked with it.' })
  @ApiDoc({
    summary: 'Withdraw a consent',
    description: 'Final: every token bound to it that could still be used is revoked in the same transaction.',
    errors: [ErrorCode.CONFLICT],
    example: { reason: 'withdrawn by the data subject in the privacy centre' },
  })
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
  @ApiDoc({
    summary: 'Renew a consent until a later date',
    description: 'A new version; earlier versions are kept. A withdrawn consent cannot be renewed.',
    errors: [ErrorCode.CONSENT_INACTIVE],
    example: { validUntil: '2036-12-31T00:00:00.000Z' },
  })
  renew(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RenewConsentDto,
    @Meta() meta: RequestMeta,
  ): Promise<ConsentView> {
    return this.consents.renew(principal, id, body, meta);
  }
}
