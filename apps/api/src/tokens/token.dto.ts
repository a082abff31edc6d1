import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CREATED_VIA,
  GEO_MODES,
  TOKEN_ENVIRONMENTS,
  TOKEN_STATUSES,
  type CreatedVia,
  type GeoMode,
  type JsonObject,
  type TokenEnvironment,
  type TokenStatus,
} from '@custos/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { IssuedToken, Page, Rotation, SuccessorHandover, TokenView } from '@custos/application';
import { ActorResponse } from '../accounts/accounts.dto';
import { PageQuery } from '../http/page-query';
import { AllowLineBreaks, AllowSecret } from '../http/request-text';
import { COUNTRY_CODE, IsCidr, IsDataCategory, IsOptionalButNotNull, IsQueryBoolean, IsScope, MAX_GRACE_SECONDS, MAX_LIFETIME_SECONDS, MaxJsonBytes, REGION_CODE } from '../http/validators';
import { RateLimitDto } from '../http/rate-limit.dto';

/** Upper-case codes, as regions.ts writes them; whether one names a known group is the use case's check. */
import type { Merged, Mirror } from '../http/mirror';

export class IssueTokenDto {
  @ApiProperty({ example: 'orders-service production', maxLength: 200 })
  @IsString() @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'svc_0Lq3eV1a8dX2m9pQ4rT7sW' })
  @IsOptional() @IsString() @MaxLength(64)
  ownerServiceId?: string;

  @ApiPropertyOptional({ example: 'usr_…', description: 'The user accountable for it (custos:users:write to name one). Default: the issuer, or a service key\'s service\'s steward.' })
  @IsOptionalButNotNull() @IsString() @MaxLength(64)
  stewardUserId?: string;

  @ApiProperty({ type: [String], example: ['orders:read'], description: 'Each matches ^[a-z0-9][a-z0-9_.:-]{0,127}$' })
  @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @IsScope({ each: true })
  scopes!: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Give this or expiresInSeconds.' })
  @IsOptional() @Type(() => Date) @IsDate()
  expiresAt?: Date;

  @ApiPropertyOptional({ minimum: 1, description: "Give this or expiresAt; capped by the tenant's policy." })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_LIFETIME_SECONDS)
  expiresInSeconds?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate()
  notBefore?: Date;

  @ApiPropertyOptional({ enum: TOKEN_ENVIRONMENTS, default: 'live' })
  @IsOptional() @IsIn(TOKEN_ENVIRONMENTS)
  environment?: TokenEnvironment;

  @ApiPropertyOptional({ type: [String], example: ['10.0.0.0/8'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsCidr({ each: true })
  allowedCidrs?: string[];

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000)
  maxUses?: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'At most 4 KiB as JSON.' })
  @IsOptional() @IsObject() @MaxJsonBytes(4096) @AllowLineBreaks()
  metadata?: JsonObject;

  @ApiPropertyOptional({ minimum: 60 })
  @IsOptional() @IsInt() @Min(60) @Max(MAX_LIFETIME_SECONDS)
  rotationIntervalSeconds?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_GRACE_SECONDS)
  gracePeriodSeconds?: number;

  @ApiPropertyOptional({ example: 'cns_0Lq3eV1a8dX2m9pQ4rT7sW', description: "The consent whose window bounds the token's use." })
  @IsOptional() @IsString() @MaxLength(64)
  consentId?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['personal'],
    description: "Data categories the token reaches; those in the policy's requireConsentFor need a consentId, and the consent must cover all.",
  })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @IsDataCategory({ each: true })
  dataCategories?: string[];

  @ApiPropertyOptional({ enum: GEO_MODES, description: 'off (the default); monitor: a use outside the geofence is flagged on its usage event; enforce: it answers GEO_BLOCKED.' })
  @IsOptional() @IsIn(GEO_MODES)
  geoMode?: GeoMode;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'EU', description: 'The region group its data belong to: a use from outside it is a cross-border transfer.' })
  @IsOptional() @IsString() @Matches(REGION_CODE)
  residencyRegion?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['EU'], description: 'Region groups (EU, EEA, EFTA, UK, US, CA, APAC, ADEQUACY) the geofence allows.' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(REGION_CODE, { each: true })
  allowedRegions?: string[];

  @ApiPropertyOptional({ type: [String], example: ['CH'], description: 'ISO 3166-1 alpha-2 countries the geofence allows, besides its regions.' })
  @IsOptional() @IsArray() @ArrayMaxSize(250) @Matches(COUNTRY_CODE, { each: true })
  allowedCountries?: string[];
  @ApiPropertyOptional({ type: RateLimitDto, nullable: true, description: 'At most `limit` uses per `windowSeconds`, across all api instances; over it verify answers RATE_LIMITED.' })
  @IsOptional() @ValidateNested() @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto | null;
}

/** Every field may be left out, none cleared with null. */
export class PatchTokenDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalButNotNull() @IsString() @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'usr_…', description: 'Hand the token to another accountable user (custos:users:write).' })
  @IsOptionalButNotNull() @IsString() @MaxLength(64)
  stewardUserId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptionalButNotNull() @IsObject() @MaxJsonBytes(4096) @AllowLineBreaks()
  metadata?: JsonObject;

  @ApiPropertyOptional({ type: [String], description: 'May only narrow: every scope must already be on the token.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @IsScope({ each: true })
  scopes?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(100) @IsCidr({ each: true })
  allowedCidrs?: string[];

  @ApiPropertyOptional({ enum: GEO_MODES, description: 'off (the default); monitor: a use outside the geofence is flagged on its usage event; enforce: it answers GEO_BLOCKED.' })
  @IsOptionalButNotNull() @IsIn(GEO_MODES)
  geoMode?: GeoMode;

  @ApiPropertyOptional({ type: String, example: 'EU', description: 'Only an owner or admin may change a set residency.' })
  @IsOptionalButNotNull() @IsString() @Matches(REGION_CODE)
  residencyRegion?: string;

  @ApiPropertyOptional({ type: [String], example: ['EU'], description: 'Region groups (EU, EEA, EFTA, UK, US, CA, APAC, ADEQUACY) the geofence allows.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(50) @Matches(REGION_CODE, { each: true })
  allowedRegions?: string[];

  @ApiPropertyOptional({ type: [String], example: ['CH'], description: 'ISO 3166-1 alpha-2 countries the geofence allows, besides its regions.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(250) @Matches(COUNTRY_CODE, { each: true })
  allowedCountries?: string[];
  @ApiPropertyOptional({ type: RateLimitDto, nullable: true, description: 'null lifts the limit. Raising or lifting it is for owners and admins; anyone who may edit the token may lower it.' })
  @IsOptional() @ValidateNested() @Type(() => RateLimitDto)
  rateLimit?: RateLimitDto | null;
}

export class RevokeTokenDto {
  @ApiProperty({ example: 'leaked in a build log', maxLength: 500 })
  @IsString() @Length(1, 500)
  reason!: string;
}

export class BulkRevokeDto extends RevokeTokenDto {
  @ApiProperty({ type: [String], maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) @MaxLength(64, { each: true })
  ids!: string[];
}

export class SuspendTokenDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional() @IsString() @Length(1, 500)
  reason?: string;
}

/** Resume takes no fields; the empty class still makes the body's unknown fields an error. */
export class ResumeTokenDto {}

export class RotateTokenDto {
  @ApiPropertyOptional({ minimum: 0, description: 'How long the old token keeps working; never past its own expiry.' })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_GRACE_SECONDS)
  gracePeriodSeconds?: number;
}

export class ListTokensQuery extends PageQuery {
  @ApiPropertyOptional({ description: `Comma-separated: ${TOKEN_STATUSES.join(', ')}` })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray() @IsIn(TOKEN_STATUSES, { each: true })
  status?: TokenStatus[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  ownerServiceId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsScope()
  scope?: string;

  @ApiPropertyOptional({ enum: TOKEN_ENVIRONMENTS }) @IsOptional() @IsIn(TOKEN_ENVIRONMENTS)
  environment?: TokenEnvironment;

  @ApiPropertyOptional({ type: String, format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate()
  expiringBefore?: Date;

  @ApiPropertyOptional({
    description:
      'Prefix of the name (any case) or of the lookup id; or a token, whole (only its lookup id is used) or as the Token column shows it (`cus_live_6Ady8…`).',
  })
  @IsOptional() @IsString() @Length(1, 100)
  @AllowSecret('a leaked token pasted to find it: only its lookup id is used, it is never stored, logs redact it', { text: true })
  q?: string;

  @ApiPropertyOptional({ example: 'EU', description: "Used (VALID) from this country (DE) or region group (EU, or one of the tenant's own)." })
  @IsOptional() @IsString() @Matches(REGION_CODE, { message: 'must be a country code like DE or a region code like EU' })
  usedIn?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: used from outside its residency region; false: never.' })
  @IsOptional() @IsQueryBoolean()
  crossBorder?: boolean;
}

export class TokenResponse implements Mirror<TokenView, TokenResponse> {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['api_key'] }) kind!: 'api_key';
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TOKEN_ENVIRONMENTS }) environment!: TokenEnvironment;
  @ApiProperty({ description: 'Public part of the token; safe to show and log.' }) lookupId!: string;
  @ApiProperty({ example: 'cus_live_AbC123dEf456…x9Zq' }) hint!: string;
  @ApiProperty({ enum: TOKEN_STATUSES }) status!: TokenStatus;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ type: String, nullable: true }) ownerServiceId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'usr_…', description: 'The user accountable for the token.' }) stewardUserId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The user (usr_…) or service key (tok_…) that issued it; null for the system.' })
  createdBy!: string | null;
  @ApiProperty({ type: ActorResponse, nullable: true, description: "Who createdBy names: a person's e-mail, a service key's name." })
  createdByActor!: ActorResponse | null;
  @ApiProperty({ enum: CREATED_VIA }) createdVia!: CreatedVia;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) notBefore!: string | null;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) graceEndsAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({ type: ActorResponse, nullable: true, description: 'Who revokedBy names.' }) revokedByActor!: ActorResponse | null;
  @ApiProperty({ type: String, nullable: true }) revokedReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspendedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['manual', 'unused'], description: 'Why the token is suspended.' })
  suspendedReason!: string | null;
  @ApiProperty({ type: Number, nullable: true }) rotationIntervalSeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) gracePeriodSeconds!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRotationAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) rotatedFromId!: string | null;
  @ApiProperty() rootId!: string;
  @ApiProperty({ type: [String] }) allowedCidrs!: string[];
  @ApiProperty({ enum: GEO_MODES }) geoMode!: GeoMode;
  @ApiProperty({ type: String, nullable: true }) residencyRegion!: string | null;
  @ApiProperty({ type: [String] }) allowedRegions!: string[];
  @ApiProperty({ type: [String] }) allowedCountries!: string[];
  @ApiProperty({ type: RateLimitDto, nullable: true }) rateLimit!: RateLimitDto | null;
  @ApiProperty({ type: Number, nullable: true }) maxUses!: number | null;
  @ApiProperty({ type: Number, nullable: true }) remainingUses!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: JsonObject;
  @ApiProperty({ type: String, nullable: true }) consentId!: string | null;
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Truncated (IPv4 /24, IPv6 /48).' }) lastUsedIp!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'DE', description: 'Observed country of the latest VALID use.' }) lastUsedCountry!: string | null;
  @ApiProperty({ type: [String], example: ['EU', 'EEA'], description: 'Region groups of every country a VALID use came from.' }) regionsSeen!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Latest VALID use from outside the residency region.' })
  lastCrossBorderAt!: string | null;
  @ApiProperty() useCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class IssuedTokenResponse implements Mirror<IssuedToken, IssuedTokenResponse> {
  @ApiProperty({ type: TokenResponse }) token!: TokenResponse;
  @ApiProperty({ description: 'The token itself. Shown once: store it now.' }) secret!: string;
}

export class RotationResponse implements Mirror<Rotation, RotationResponse> {
  @ApiProperty({ type: TokenResponse, description: 'The successor.' }) token!: TokenResponse;
  @ApiProperty({ description: "The successor's secret. Shown once: store it now." }) secret!: string;
  @ApiProperty({ type: TokenResponse, description: 'The old token, now rotating: it works until its graceEndsAt.' }) predecessor!: TokenResponse;
}

export class SuccessorHandoverResponse implements Mirror<Merged<SuccessorHandover>, SuccessorHandoverResponse> {
  @ApiProperty({ description: 'Id of the successor token.' }) tokenId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the old token stops working.' }) graceEndsAt!: string;
  @ApiProperty({ enum: ['jwe', 'plain'], description: '`jwe` when the owning service registered a public key.' })
  format!: 'jwe' | 'plain';
  @ApiPropertyOptional({
    description:
      'Compact JWE (RSA-OAEP-256 or ECDH-ES+A256KW, A256GCM) to the service\'s public key; its plaintext is JSON {tokenId, secret, expiresAt}.',
  })
  jwe?: string;
  @ApiPropertyOptional({ description: 'The successor token, when the service registered no key. Shown once.' })
  secret?: string;
}

export class TokenPageResponse implements Mirror<Page<TokenView>, TokenPageResponse> {
  @ApiProperty({ type: [TokenResponse] }) items!: TokenResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
