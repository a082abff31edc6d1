import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_EVENT_TYPES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_SECRET_GRACE_DEFAULT_SECONDS,
  WEBHOOK_SECRET_GRACE_MAX_SECONDS,
  type WebhookDeliveryEventType,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@custos/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import type { CreatedWebhook, DeliveryAttempt, Page, WebhookDeliveryView, WebhookView } from '@custos/application';
import { PageQuery } from '../http/page-query';
import { AllowLineBreaks } from '../http/request-text';
import { IsOptionalButNotNull } from '../http/validators';
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

/** Only the fields sent change; `description: null` clears it. */
export class UpdateWebhookDto {
  @ApiPropertyOptional({
    example: 'https://hooks.example.com/custos/v2',
    maxLength: 2048,
    description: 'Checked as on creation: https, resolving to public addresses only (unless CUSTOS_WEBHOOK_ALLOW_PRIVATE_URLS is set).',
  })
  @IsOptionalButNotNull() @IsString() @Length(1, 2048)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['token.revoked'] })
  @IsOptionalButNotNull() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `each value must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ type: String, maxLength: 500, nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(500) @AllowLineBreaks()
  description?: string | null;

  @ApiPropertyOptional({
    description: 'false disables the endpoint: it gets no new deliveries and its pending ones are cancelled; true enables it again.',
  })
  @IsOptionalButNotNull() @IsBoolean()
  enabled?: boolean;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: WEBHOOK_SECRET_GRACE_MAX_SECONDS,
    default: WEBHOOK_SECRET_GRACE_DEFAULT_SECONDS,
    example: 3600,
    description: 'How long the current secret keeps signing beside the new one (each delivery carries both signatures). 0 stops it at once.',
  })
  @IsOptional() @IsInt() @Min(0) @Max(WEBHOOK_SECRET_GRACE_MAX_SECONDS)
  gracePeriodSeconds?: number;
}

/** Takes no fields; the empty class still makes the body's unknown fields an error. */
export class NoWebhookFieldsDto {}

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WEBHOOK_DELIVERY_STATUSES }) @IsOptional() @IsIn(WEBHOOK_DELIVERY_STATUSES)
  status?: WebhookDeliveryStatus;
}

export class WebhookResponse implements Mirror<WebhookView, WebhookResponse> {
  @ApiProperty({ example: 'whk_…' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events!: WebhookEventType[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ description: 'false while disabled: it gets no new deliveries.' }) enabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the signing secret was last rotated.' })
  rotatedAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until then each delivery is signed with the new and the rotated-out secret; null when only one signs.',
  })
  dualSigningUntil!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set once deleted; it then receives nothing.' })
  deletedAt!: string | null;
}

export class CreatedWebhookResponse implements Mirror<CreatedWebhook, CreatedWebhookResponse> {
  @ApiProperty({ type: WebhookResponse }) webhook!: WebhookResponse;
  @ApiProperty({
    example: 'whsec_…',
    description: 'The signing secret (Standard Webhooks), new on creation and on each rotation. Shown once: store it now.',
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
  @ApiProperty({ enum: WEBHOOK_DELIVERY_EVENT_TYPES, description: 'A subscribed event, or webhook.test for a test event.' })
  eventType!: WebhookDeliveryEventType;
  @ApiProperty({ description: 'The webhook-id header, the same on every attempt.' }) messageId!: string;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: WebhookDeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While pending: when the next attempt is due.' })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attemptLog!: DeliveryAttemptResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A re-send names the delivery it repeats.' }) resentFromId!: string | null;
}

export class DeliveryPageResponse implements Mirror<Page<WebhookDeliveryView>, DeliveryPageResponse> {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) items!: WebhookDeliveryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
