import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksService } from './webhooks.service';

/** Endpoints and their deliveries (the api), and sending them (the worker). */
@Module({
  imports: [AuditModule],
  providers: [WebhooksService, WebhookDeliveriesService, WebhookDispatcher],
  exports: [WebhooksService, WebhookDeliveriesService, WebhookDispatcher],
})
export class WebhooksModule {}
