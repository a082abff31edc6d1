import { ApiPropertyOptional } from '@nestjs/swagger';
import type { ReviewScope } from '@custos/contracts';
import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsString, Length } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { IsOptionalButNotNull } from '../http/validators';

/** Which active tokens a campaign reviews: all, or those matching every criterion given. */
export class ReviewScopeDto implements Mirror<ReviewScope, ReviewScopeDto> {
  @ApiPropertyOptional({ description: 'Every active token; give it alone.', example: true })
  @IsOptionalButNotNull() @Equals(true, { message: 'all is true when given' })
  all?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Tokens of these services.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 64, { each: true })
  serviceIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['personal', 'health'], description: 'Tokens reaching any of these data categories.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 64, { each: true })
  dataCategories?: string[];

  @ApiPropertyOptional({ type: [String], example: ['patients:write'], description: 'Tokens holding at least one of these scopes.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 128, { each: true })
  scopesAny?: string[];
}
