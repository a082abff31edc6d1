import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { VerifyCode, type VerifyCacheHint } from '@custos/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIP, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
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

  @ApiPropertyOptional({ description: 'Ask for `cache` on a VALID answer: what decides later verifies of the token in your own process (the SDK does).' })
  @IsOptional() @IsBoolean()
  cache?: boolean;
}

export class VerifyRateLimitResponse implements Mirror<NonNullable<VerifyResult['rateLimit']>, VerifyRateLimitResponse> {
  @ApiProperty({ example: 100 }) limit!: number;
  @ApiProperty({ example: 99, description: 'Uses left in the current window.' }) remaining!: number;
  @ApiProperty({ format: 'date-time', description: 'When the current window ends.' }) resetAt!: string;
}

export class VerifyConsentWindowResponse implements Mirror<NonNullable<VerifyCacheHint['consent']>, VerifyConsentWindowResponse> {
  @ApiProperty({ format: 'date-time' }) validFrom!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
}

export class VerifyCacheHintResponse implements Mirror<VerifyCacheHint, VerifyCacheHintResponse> {
  @ApiProperty({ description: 'The events feed names the token by it.', example: 'Y9TXfdKn3SBo' }) lookupId!: string;
  @ApiProperty({ type: [String], description: 'Every scope the token holds.' }) scopes!: string[];
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) graceEndsAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) notBefore!: string | null;
  @ApiProperty({ type: [String], example: ['10.0.0.0/8'] }) allowedCidrs!: string[];
  @ApiProperty({ type: VerifyConsentWindowResponse, nullable: true }) consent!: VerifyConsentWindowResponse | null;
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
  @ApiPropertyOptional({
    type: VerifyCacheHintResponse,
    description: 'Asked for with `cache: true`, on VALID answers of tokens with no use limit, rate limit, geofence or residency.',
  })
  cache?: VerifyCacheHintResponse;
}
