import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  WebhooksService,
  type CreatedWebhook,
  type Page,
  type Principal,
  type RequestMeta,
  type WebhookDeliveryView,
  type WebhookView,
} from '@custos/application';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import {
  CreateWebhookDto,
  CreatedWebhookResponse,
  DeliveryPageResponse,
  ListDeliveriesQuery,
  WebhookListResponse,
  WebhookResponse,
} from './webhooks.dto';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @RequireScopes('custos:webhooks:write')
  @ApiCreatedResponse({ type: CreatedWebhookResponse, description: 'The signing secret is in this answer only.' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookDto, @Meta() meta: RequestMeta): Promise<CreatedWebhook> {
    return this.webhooks.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:webhooks:read')
  @ApiOkResponse({ type: WebhookListResponse, description: 'The live webhooks, newest first.' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: WebhookView[] }> {
    return { items: await this.webhooks.list(principal) };
  }

  @Get(':id')
  @RequireScopes('custos:webhooks:read')
  @ApiOkResponse({ type: WebhookResponse })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('custos:webhooks:write')
  @ApiNoContentResponse({ description: 'Deleted: it receives nothing more and its pending deliveries are cancelled.' })
  remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    return this.webhooks.delete(principal, id, meta);
  }

  @Get(':id/deliveries')
  @RequireScopes('custos:webhooks:read')
  @ApiOkResponse({ type: DeliveryPageResponse, description: 'Newest first, keyset-paged.' })
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(principal, id, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 });
  }
}
