import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@custos/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import type { CreatedWebhook, DeliveryAttempt, Page, WebhookDeliveryView, WebhookView } from '@custos/application';
import { PageQuery } from '../http/page-query';
import { AllowLineBreaks } from '../http/request-text';
import type { Mirror } from '../http/mirror';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/custos',
    maxLength: 2048,
    description: 'https, resolving to public addresses only (unless CUSTOS_WEBHOOK_ALLOW_PRIVATE_URLS is set).',
  })
  @IsString() @Length(1, 2048)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['token.revoked', 'token.expiring'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each value must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(500) @AllowLineBreaks()
  description?: string | null;
}

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES }) @IsOptional() @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;
}

export class WebhookResponse implements Mirror<WebhookView, WebhookResponse> {
  @ApiProperty({ example: 'whk_…' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events!: WebhookEventType[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set once deleted; it then receives nothing.' })
  deletedAt!: string | null;
}

export class CreatedWebhookResponse implements Mirror<CreatedWebhook, CreatedWebhookResponse> {
  @ApiProperty({ type: WebhookResponse }) webhook!: WebhookResponse;
  @ApiProperty({
    example: 'whsec_…',
    description: 'The signing secret (Standard Webhooks). Shown once: store it now.',
  })
  secret!: string;
}

export class WebhookListResponse implements Mirror<{ items: WebhookView[] }, WebhookListResponse> {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];
}

export class DeliveryAttemptResponse implements Mirror<DeliveryAttempt, DeliveryAttemptResponse> {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ description: "The receiver's HTTP status, when it answered." }) status?: number;
  @ApiPropertyOptional({ description: 'Why the attempt failed, when it did without a status.' }) error?: string;
  @ApiProperty() durationMs!: number;
}

export class WebhookDeliveryResponse implements Mirror<WebhookDeliveryView, WebhookDeliveryResponse> {
  @ApiProperty() id!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES }) eventType!: WebhookEventType;
  @ApiProperty({ description: 'The webhook-id header, the same on every attempt.' }) messageId!: string;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: WebhookDeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attemptLog!: DeliveryAttemptResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
}

export class DeliveryPageResponse implements Mirror<Page<WebhookDeliveryView>, DeliveryPageResponse> {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) items!: WebhookDeliveryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
