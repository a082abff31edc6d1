import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { VerifyCode } from '@custos/contracts';
import type { UsageReportResult } from '@custos/application';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsEnum, IsInt, IsIP, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { Mirror } from '../http/mirror';

export class ReportedUseDto {
  @ApiProperty({ example: 'tok_0Lq3eV1a8dX2m9pQ4rT7sW', description: 'The token the cached answer was about (`tokenId` of its verify answer).' })
  @IsString() @Length(1, 64)
  tokenId!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'When the service answered, within the last 24 hours; default: when the report arrives.' })
  @IsOptional() @Type(() => Date) @IsDate()
  at?: Date;

  @ApiProperty({ enum: VerifyCode, description: 'What the service answered from its cache.' })
  @IsEnum(VerifyCode)
  code!: VerifyCode;

  @ApiPropertyOptional({ description: 'The address that presented the token to the service, as `context.ip` of a verify.' })
  @IsOptional() @IsIP()
  ip?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @Length(1, 500)
  resource?: string;

  @ApiPropertyOptional({ type: [String], description: 'The scopes the verify asked for.' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, default: 1, description: 'How many such uses (same token, code, address, resource and scopes), the last at `at`.' })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000)
  count?: number;
}

export class UsageReportDto {
  @ApiProperty({ type: [ReportedUseDto], minItems: 1, maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ReportedUseDto)
  uses!: ReportedUseDto[];
}

export class UsageReportResponse implements Mirror<UsageReportResult, UsageReportResponse> {
  @ApiProperty({ example: 120, description: 'Uses recorded (the sum of the entries\' counts) as usage events and counted, as verifies through the api are.' })
  accepted!: number;

  @ApiProperty({ example: 0, description: 'Uses naming no token of your tenant (the sum of their counts): dropped.' })
  ignored!: number;
}
