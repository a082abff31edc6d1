import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksService } from './webhooks.service';

/** Endpoints (the api) and their deliveries (the worker). */
@Module({ imports: [AuditModule], providers: [WebhooksService, WebhookDispatcher], exports: [WebhooksService, WebhookDispatcher] })
export class WebhooksModule {}
