import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '@custos/contracts';
import {
  WebhookDeliveriesService,
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
  NoWebhookFieldsDto,
  RotateWebhookSecretDto,
  UpdateWebhookDto,
  WebhookDeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
} from './webhooks.dto';
import { ApiDoc } from '../openapi/operation-docs';

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly webhookDeliveries: WebhookDeliveriesService,
  ) {}

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
    return this.webhookDeliveries.page(principal, id, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 });
  }

  @Patch(':id')
  @RequireScopes('custos:webhooks:write')
  @ApiOkResponse({ type: WebhookResponse })
  @ApiDoc({
    summary: "Edit a webhook's URL, events or description, or disable and enable it",
    description:
      'Only the fields sent change. A new URL is checked as on creation. enabled: false disables it: it gets no new deliveries and its ' +
      'pending ones are cancelled. A deleted webhook cannot be changed (409).',
    errors: [ErrorCode.CONFLICT],
    example: { events: ['token.revoked', 'token.expired'], description: 'Revocations and expiries for the orders team', enabled: true },
  })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateWebhookDto,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookView> {
    return this.webhooks.update(principal, id, body, meta);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequireScopes('custos:webhooks:write')
  @ApiOkResponse({ type: CreatedWebhookResponse, description: 'The new signing secret is in this answer only.' })
  @ApiDoc({
    summary: "Rotate a webhook's signing secret",
    description:
      'The new secret is in this answer only. The old one keeps signing beside it for gracePeriodSeconds (default a day, at most 7 days; ' +
      '0 stops it at once): each delivery meanwhile carries both signatures, so a receiver can switch secrets at any time within it.',
    errors: [ErrorCode.CONFLICT],
    example: { gracePeriodSeconds: 3600 },
  })
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: RotateWebhookSecretDto,
    @Meta() meta: RequestMeta,
  ): Promise<CreatedWebhook> {
    return this.webhooks.rotateSecret(principal, id, body, meta);
  }

  @Post(':id/test')
  @HttpCode(202)
  @RequireScopes('custos:webhooks:write')
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'Queued: the worker sends it like any delivery.' })
  @ApiDoc({
    summary: 'Send a webhook.test event to this endpoint only',
    description: 'Whatever events it subscribes to; listed with its deliveries. A disabled or deleted webhook answers 409.',
    errors: [ErrorCode.CONFLICT],
    example: {},
  })
  sendTest(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() _body: NoWebhookFieldsDto,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookDeliveryView> {
    return this.webhookDeliveries.sendTest(principal, id, meta);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(202)
  @RequireScopes('custos:webhooks:write')
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'Queued: the new delivery.' })
  @ApiDoc({
    summary: "Send a delivery's event again",
    description:
      'A new delivery with the same payload and webhook-id, due at once, naming the original in resentFromId. A delivery still pending is ' +
      'cancelled in its favour. A disabled or deleted webhook answers 409.',
    errors: [ErrorCode.CONFLICT],
    example: {},
  })
  resend(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Body() _body: NoWebhookFieldsDto,
    @Meta() meta: RequestMeta,
  ): Promise<WebhookDeliveryView> {
    return this.webhookDeliveries.resend(principal, id, deliveryId, meta);
  }
}
