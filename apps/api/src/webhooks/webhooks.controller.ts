import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
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

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly webhookDeliveries: WebhookDeliveriesService,
  ) {}

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
    return this.webhookDeliveries.page(principal, id, { status: query.status, cursor: query.cursor, limit: query.limit ?? 50 });
  }

  @Patch(':id')
  @RequireScopes('custos:webhooks:write')
  @ApiOperation({ summary: "Edit a webhook's URL, events or description, or disable and enable it" })
  @ApiOkResponse({ type: WebhookResponse, description: 'Disabling cancels its pending deliveries; a deleted webhook is 409.' })
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
  @ApiOperation({ summary: "Rotate a webhook's signing secret; the old one keeps signing for the grace period" })
  @ApiOkResponse({ type: CreatedWebhookResponse, description: 'The new signing secret is in this answer only.' })
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
  @ApiOperation({ summary: 'Send a webhook.test event to this endpoint only' })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponse, description: 'Queued: the worker sends it like any delivery. A disabled webhook is 409.' })
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
  @ApiOperation({ summary: "Send a delivery's event again, as a new delivery with the same webhook-id" })
  @ApiAcceptedResponse({
    type: WebhookDeliveryResponse,
    description: 'Queued: the new delivery. A delivery still pending is cancelled in its favour. A disabled webhook is 409.',
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
