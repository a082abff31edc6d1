import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { CampaignView, ClosedCampaign, Page, ReviewItemView } from '@custos/application';
import {
  MAX_BULK_REVIEW_DECISIONS,
  REVIEW_CAMPAIGN_STATUSES,
  REVIEW_DECISIONS,
  REVIEW_ITEM_STATUSES,
  REVIEW_OVERDUE_ACTIONS,
  type ReviewCampaignStatus,
  type ReviewDecision,
  type ReviewerChoice,
  type ReviewItemStatus,
  type ReviewOverdueAction,
} from '@custos/contracts';
import type { CampaignProgress } from '@custos/persistence';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, Length, MaxLength, ValidateBy, ValidateNested } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { PageQuery } from '../http/page-query';
import { IsDateInRange, IsOptionalButNotNull, IsScope } from '../http/validators';
import { ReviewScopeDto } from './review-scope.dto';

export class ReviewerUserDto {
  @ApiProperty({ example: 'usr_…' }) userId!: string;
}

/** "steward", or `{ userId }` of a user of the tenant. */
const IsReviewerChoice = (): PropertyDecorator =>
  ValidateBy({
    name: 'isReviewerChoice',
    validator: {
      validate: (value: unknown) =>
        value === 'steward' ||
        (typeof value === 'object' && value !== null && Object.keys(value).length === 1 &&
          typeof (value as { userId?: unknown }).userId === 'string' && /^[A-Za-z0-9_]{1,64}$/.test((value as { userId: string }).userId)),
      defaultMessage: () => 'must be "steward" or { "userId": "<a user id>" }',
    },
  });

@ApiExtraModels(ReviewerUserDto)
export class CreateCampaignDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Q4 review of tokens reaching personal data' })
  @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ type: ReviewScopeDto, example: { dataCategories: ['personal'] } })
  @ValidateNested() @Type(() => ReviewScopeDto)
  scope!: ReviewScopeDto;

  @ApiProperty({ type: String, format: 'date-time', description: 'In the future, within 366 days.' })
  @Type(() => Date) @IsDate() @IsDateInRange()
  dueAt!: Date;

  @ApiProperty({
    oneOf: [{ type: 'string', enum: ['steward'] }, { $ref: getSchemaPath(ReviewerUserDto) }],
    description: "Each token's steward reviews it, or one named user reviews them all.",
    example: 'steward',
  })
  @IsReviewerChoice()
  reviewer!: ReviewerChoice;

  @ApiPropertyOptional({ enum: REVIEW_OVERDUE_ACTIONS, description: "What happens to undecided tokens at the due date; the policy's reviews.onOverdue when left out." })
  @IsOptionalButNotNull() @IsIn(REVIEW_OVERDUE_ACTIONS)
  onOverdue?: ReviewOverdueAction;
}

export class ListCampaignsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REVIEW_CAMPAIGN_STATUSES }) @IsOptional() @IsIn(REVIEW_CAMPAIGN_STATUSES)
  status?: ReviewCampaignStatus;
}

export class ListItemsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'arc_…' }) @IsOptional() @IsString() @MaxLength(64)
  campaignId?: string;

  @ApiPropertyOptional({ enum: ['me'], description: "The caller's queue (an owner's or admin's includes the items any of them reviews)." })
  @IsOptional() @IsIn(['me'])
  assignedTo?: 'me';

  @ApiPropertyOptional({ enum: REVIEW_ITEM_STATUSES }) @IsOptional() @IsIn(REVIEW_ITEM_STATUSES)
  status?: ReviewItemStatus;
}

export class DecisionDto {
  @ApiProperty({ enum: REVIEW_DECISIONS }) @IsIn(REVIEW_DECISIONS)
  decision!: ReviewDecision;

  @ApiPropertyOptional({ type: [String], description: "narrow only: the scopes to keep, a subset of the token's current ones.", example: ['patients:read'] })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @IsScope({ each: true })
  scopes?: string[];

  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Still used by the billing export; write access no longer needed.' })
  @IsString() @Length(1, 2000)
  comment!: string;
}

export class BulkKeepDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_BULK_REVIEW_DECISIONS })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_REVIEW_DECISIONS) @IsString({ each: true }) @MaxLength(64, { each: true })
  itemIds!: string[];

  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Reviewed with the team; all still needed.' })
  @IsString() @Length(1, 2000)
  comment!: string;
}

export class DecisionCountsResponse implements Mirror<CampaignProgress['decided'], DecisionCountsResponse> {
  @ApiProperty() keep!: number;
  @ApiProperty() narrow!: number;
  @ApiProperty() revoke!: number;
}

export class CampaignProgressResponse implements Mirror<CampaignProgress, CampaignProgressResponse> {
  @ApiProperty({ description: 'Items: one per token active and in scope when the campaign opened.' }) total!: number;
  @ApiProperty({ description: 'Not decided yet.' }) pending!: number;
  @ApiProperty({ description: "Not decided by the due date: the campaign's onOverdue was applied." }) overdue!: number;
  @ApiProperty({ type: DecisionCountsResponse }) decided!: DecisionCountsResponse;
}

export class CampaignResponse implements Mirror<CampaignView, CampaignResponse> {
  @ApiProperty({ example: 'arc_…' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ReviewScopeDto }) scope!: ReviewScopeDto;
  @ApiProperty({ oneOf: [{ type: 'string', enum: ['steward'] }, { $ref: getSchemaPath(ReviewerUserDto) }] }) reviewer!: ReviewerChoice;
  @ApiProperty({ enum: REVIEW_OVERDUE_ACTIONS }) onOverdue!: ReviewOverdueAction;
  @ApiProperty() separationOfDuties!: boolean;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When review.reminder goes out.' }) remindAt!: string | null;
  @ApiProperty({ enum: REVIEW_CAMPAIGN_STATUSES }) status!: ReviewCampaignStatus;
  @ApiProperty({ description: 'A user or service key id, or system for a scheduled campaign.' }) createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) scheduledFor!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) overdueAppliedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closedBy!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    example: { json: 'rpt_…', csv: 'rpt_…', pdf: 'rpt_…' },
    description: 'The signed report in each format, once closed: GET /v1/reports/{id}/download.',
  })
  reportIds!: Record<string, string> | null;
  @ApiProperty({ type: CampaignProgressResponse }) progress!: CampaignProgressResponse;
}

export class CampaignPageResponse implements Mirror<Page<CampaignView>, CampaignPageResponse> {
  @ApiProperty({ type: [CampaignResponse] }) items!: CampaignResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ClosedCampaignResponse implements Mirror<ClosedCampaign, ClosedCampaignResponse> {
  @ApiProperty({ type: CampaignResponse }) campaign!: CampaignResponse;
  @ApiProperty({ example: 'rpt_…', description: 'The JSON report; reportIds has every format.' }) reportId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { json: 'rpt_…', csv: 'rpt_…', pdf: 'rpt_…' } })
  reportIds!: Record<string, string>;
}

export class ReviewItemResponse implements Mirror<ReviewItemView, ReviewItemResponse> {
  @ApiProperty({ example: 'ari_…' }) id!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty() campaignName!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty() tokenId!: string;
  @ApiProperty() tokenName!: string;
  @ApiProperty({ type: [String], description: 'The scopes when the campaign opened.' }) tokenScopes!: string[];
  @ApiProperty({ type: [String], description: 'Of them, those a VALID verify asked for in the last 90 days.' }) scopesUsed90d!: string[];
  @ApiProperty({ type: [String], description: 'Of them, those no VALID verify asked for in the last 90 days: what narrow would drop.' }) scopesUnused90d!: string[];
  @ApiProperty({ type: String, nullable: true, description: "The token's status now." }) tokenStatus!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ type: [String], example: ['DE'] }) countries!: string[];
  @ApiProperty({ type: String, nullable: true }) stewardUserId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null: any owner or admin reviews it.' }) reviewerUserId!: string | null;
  @ApiProperty({ enum: REVIEW_ITEM_STATUSES }) status!: ReviewItemStatus;
  @ApiProperty({ enum: REVIEW_DECISIONS, nullable: true }) decision!: ReviewDecision | null;
  @ApiProperty({ type: [String], nullable: true }) decidedScopes!: string[] | null;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'narrowed: removed patients:write', description: 'What the decision, or the overdue action, did to the token.' })
  effect!: string | null;
}

export class ReviewItemPageResponse implements Mirror<Page<ReviewItemView>, ReviewItemPageResponse> {
  @ApiProperty({ type: [ReviewItemResponse] }) items!: ReviewItemResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ReviewItemListResponse {
  @ApiProperty({ type: [ReviewItemResponse] }) items!: ReviewItemResponse[];
}
