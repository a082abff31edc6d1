import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_OVERDUE_ACTIONS, type ReviewOverdueAction } from '@custos/contracts';
import { REVIEW_DUE_MAX_DAYS, REVIEW_INTERVAL_MAX_DAYS, type ReviewPolicy } from '@custos/domain';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { IsOptionalButNotNull } from '../http/validators';
import { ReviewScopeDto } from './review-scope.dto';

/** The review policy in a PUT: each field left out keeps its current value. */
export class ReviewPolicyDto implements Mirror<Partial<ReviewPolicy>, ReviewPolicyDto> {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: REVIEW_INTERVAL_MAX_DAYS,
    example: 90,
    description: 'Open a campaign every this many days (the first at the next worker pass); null: no scheduled campaigns.',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined) @IsInt() @Min(1) @Max(REVIEW_INTERVAL_MAX_DAYS)
  intervalDays?: number | null;

  @ApiPropertyOptional({ type: ReviewScopeDto, description: 'What scheduled campaigns review.' })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => ReviewScopeDto)
  scope?: ReviewScopeDto;

  @ApiPropertyOptional({ minimum: 1, maximum: REVIEW_DUE_MAX_DAYS, example: 14, description: 'A scheduled campaign is due this many days after it opens.' })
  @IsOptionalButNotNull() @IsInt() @Min(1) @Max(REVIEW_DUE_MAX_DAYS)
  dueInDays?: number;

  @ApiPropertyOptional({ enum: REVIEW_OVERDUE_ACTIONS, description: 'What happens to undecided tokens at the due date, unless a campaign says otherwise.' })
  @IsOptionalButNotNull() @IsIn(REVIEW_OVERDUE_ACTIONS)
  onOverdue?: ReviewOverdueAction;

  @ApiPropertyOptional({ minimum: 0, maximum: REVIEW_DUE_MAX_DAYS, example: 3, description: 'review.reminder goes out this many days before the due date (0: none).' })
  @IsOptionalButNotNull() @IsInt() @Min(0) @Max(REVIEW_DUE_MAX_DAYS)
  remindBeforeDays?: number;

  @ApiPropertyOptional({ description: 'Nobody reviews a token they issued to themselves: an owner or admin does.' })
  @IsOptionalButNotNull() @IsBoolean()
  separationOfDuties?: boolean;
}

export class ReviewPolicyResponse extends ReviewPolicyDto implements Mirror<ReviewPolicy, ReviewPolicyResponse> {
  @ApiProperty({ type: Number, nullable: true, required: true }) declare intervalDays: number | null;
  @ApiProperty({ type: ReviewScopeDto, required: true }) declare scope: ReviewScopeDto;
  @ApiProperty({ required: true }) declare dueInDays: number;
  @ApiProperty({ enum: REVIEW_OVERDUE_ACTIONS, required: true }) declare onOverdue: ReviewOverdueAction;
  @ApiProperty({ required: true }) declare remindBeforeDays: number;
  @ApiProperty({ required: true }) declare separationOfDuties: boolean;
}
