import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { VerifyCode } from '@custos/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIP, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { VerifyInput, VerifyResult } from '@custos/application';
import { AllowSecret } from '../http/request-text';
import type { Mirror } from '../http/mirror';

export class VerifyContextDto implements Mirror<NonNullable<VerifyInput['context']>, VerifyContextDto> {
  @ApiPropertyOptional({ description: "The caller's client IP, checked against the token's allowed CIDRs." })
  @IsOptional() @IsIP()
  ip?: string;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsOptional() @IsString() @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code like DE' })
  country?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @Length(1, 500)
  resource?: string;
}

/** The verify route's body: its Ajv schema and its OpenAPI schema are both generated from this class. */
export class VerifyDto implements Mirror<VerifyInput, VerifyDto> {
  @ApiProperty({ description: 'The presented token. Anything that is not a Custos token answers MALFORMED.' })
  @IsString() @MaxLength(512)
  @AllowSecret('the token to check: any string gets an answer (MALFORMED at worst); it is parsed and HMACed, never stored or logged')
  token!: string;

  @ApiPropertyOptional({ type: [String], description: 'Scopes the token must all hold.' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(128, { each: true })
  scopes?: string[];

  @ApiPropertyOptional({ type: VerifyContextDto })
  @IsOptional() @ValidateNested() @Type(() => VerifyContextDto)
  context?: VerifyContextDto;
}

export class VerifyRateLimitResponse implements Mirror<NonNullable<VerifyResult['rateLimit']>, VerifyRateLimitResponse> {
  @ApiProperty({ example: 100 }) limit!: number;
  @ApiProperty({ example: 99, description: 'Uses left in the current window.' }) remaining!: number;
  @ApiProperty({ format: 'date-time', description: 'When the current window ends.' }) resetAt!: string;
}

export class VerifyResponse implements Mirror<VerifyResult, VerifyResponse> {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ enum: VerifyCode }) code!: VerifyCode;
  @ApiPropertyOptional() tokenId?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) ownerServiceId?: string | null;
  @ApiPropertyOptional({ type: [String] }) scopes?: readonly string[];
  @ApiPropertyOptional({ format: 'date-time' }) expiresAt?: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) remainingUses?: number | null;
  @ApiPropertyOptional({ type: VerifyRateLimitResponse, description: 'On VALID answers of a rate-limited token.' })
  rateLimit?: VerifyRateLimitResponse;
  @ApiPropertyOptional({ minimum: 1, description: 'On RATE_LIMITED: seconds until the window lets a use through.' })
  retryAfterSeconds?: number;
}
