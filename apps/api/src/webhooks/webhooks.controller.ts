import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
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
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @RequireScopes('custos:webhooks:write')
  @ApiCreatedResponse({ type: CreatedWebhookResponse, description: 'The signing secret is in this answer only.' })
  @ApiDoc({
    summary: 'Register a webhook endpoint',
    description:
      'The URL must be https and resolve to public addresses only. The signing secret (Standard Webhooks) is in this answer only. ' +
      'At most 50 live endpoints per tenant.',
    errors: [ErrorCode.CONFLICT],
    example: {
      url: 'https://hooks.example.com/custos',
      events: ['token.revoked', 'token.expiring'],
      description: 'Revocations and expiry warnings for the orders team',
    },
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookDto, @Meta() meta: RequestMeta): Promise<CreatedWebhook> {
    return this.webhooks.create(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:webhooks:read')
  @ApiOkResponse({ type: WebhookListResponse, description: 'The live webhooks, newest first.' })
  @ApiDoc({ summary: 'The live webhook endpoints' })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: WebhookView[] }> {
    return { items: await this.webhooks.list(principal) };
  }

  @Get(':id')
  @RequireScopes('custos:webhooks:read')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiDoc({ summary: 'Get a webhook endpoint', description: 'Deleted ones too, with deletedAt.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('custos:webhooks:write')
  @ApiNoContentResponse({ description: 'Deleted: it receives nothing more and its pending deliveries are cancelled.' })
  @ApiDoc({
    summary: 'Delete a webhook endpoint',
    description: 'Its pending deliveries are cancelled; it and its deliveries stay readable.',
    errors: [ErrorCode.CONFLICT],
  })
  remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    return this.webhooks.delete(principal, id, meta);
  }

  @Get(':id/deliveries')
  @RequireScopes('custos:webhooks:read')
  @ApiOkResponse({ type: DeliveryPageResponse, description: 'Newest first, keyset-paged.' })
  @ApiDoc({
    summary: "A webhook's deliveries, newest first, with every attempt",
    query: { status: 'failed', limit: 20 },
  })
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(principal, id, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 });
  }
}
