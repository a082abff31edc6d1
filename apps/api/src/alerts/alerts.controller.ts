import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AlertsService, type AlertView, type Page, type Principal, type RequestMeta } from '@custos/application';
import { ErrorCode } from '@custos/contracts';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/operation-docs';
import { AlertPageResponse, AlertResponse, AlertStatusChangeDto, ListAlertsQuery } from './alerts.dto';

@ApiTags('alerts')
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequireScopes('custos:alerts:read')
  @ApiOkResponse({ type: AlertPageResponse, description: 'Newest first, keyset-paged.' })
  @ApiDoc({ summary: 'Alerts raised on signs of abuse, newest first', query: { status: 'open', severity: 'high', limit: 20 } })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAlertsQuery): Promise<Page<AlertView>> {
    return this.alerts.list(principal, {
      status: query.status,
      severity: query.severity,
      rule: query.rule,
      tokenId: query.tokenId,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
  }

  @Get(':id')
  @RequireScopes('custos:alerts:read')
  @ApiOkResponse({ type: AlertResponse })
  @ApiDoc({ summary: 'One alert, with its evidence and what was done to the token' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AlertView> {
    return this.alerts.get(principal, id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @RequireScopes('custos:alerts:write')
  @ApiOkResponse({ type: AlertResponse })
  @ApiDoc({
    summary: 'Acknowledge an alert: someone is on it',
    description: 'Repeats of its rule and token keep adding to it until it is resolved. An acknowledged or resolved alert answers 409.',
    errors: [ErrorCode.INVALID_TRANSITION],
    example: { comment: 'Looking into it with the orders team.' },
  })
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AlertStatusChangeDto, @Meta() meta: RequestMeta): Promise<AlertView> {
    return this.alerts.acknowledge(principal, id, body.comment ?? null, meta);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequireScopes('custos:alerts:write')
  @ApiOkResponse({ type: AlertResponse })
  @ApiDoc({
    summary: 'Resolve an alert',
    description: 'A later sign of the same rule and token raises a new alert. A resolved alert answers 409. Sends alert.resolved.',
    errors: [ErrorCode.INVALID_TRANSITION],
    example: { comment: 'The client was updated; the old key is revoked.' },
  })
  resolve(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: AlertStatusChangeDto, @Meta() meta: RequestMeta): Promise<AlertView> {
    return this.alerts.resolve(principal, id, body.comment ?? null, meta);
  }
}
