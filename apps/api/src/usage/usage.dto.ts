import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { SCOPE_USE_WINDOW_DAYS, USAGE_GROUP_BYS, type UsageGroupBy } from '@custos/contracts';
import { USAGE_KINDS, USAGE_TRANSPORTS, type UsageKind, type UsageTransport } from '@custos/domain';
import {
  CROSS_BORDER_EXPORT_FORMATS,
  TOKEN_USAGE_WINDOW_DAYS,
  USAGE_DEFAULT_DAYS,
  USAGE_MAX_HOURLY_DAYS,
  USAGE_MAX_PERIOD_DAYS,
  type CrossBorderExportFormat,
  type CrossBorderTransferView,
  type CrossBorderView,
  type Page,
  type TokenUsageView,
  type UsageBucketView,
  type UsageCountryView,
  type UsageCountsView,
  type UsageEventView,
} from '@custos/application';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../http/page-query';
import type { Mirror } from '../http/mirror';
import { IsCountryCode, IsDateInRange, IsQueryBoolean } from '../http/validators';

const OUTCOME_COUNTS = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'Uses per outcome: a verify code (VALID, REVOKED, ...) or, for uses of the API by a service key, its outcome.',
  example: { VALID: 1840, INSUFFICIENT_SCOPE: 12, REVOKED: 3 },
} as const;

// ---- queries --------------------------------------------------------------------------------

/** Whose tokens: one, those a service owns, or (neither) the tenant's. */
class UsageTokensQuery {
  @ApiPropertyOptional({ description: 'Uses of this token only.', example: 'tok_0Lq3eV1a8dX2m9pQ4rT7sW' })
  @IsOptional() @IsString() @MaxLength(64)
  tokenId?: string;

  @ApiPropertyOptional({ description: 'Uses of the tokens this service owns.', example: 'svc_0Lq3eV1a8dX2m9pQ4rT7sW' })
  @IsOptional() @IsString() @MaxLength(64)
  serviceId?: string;
}

/** Whose uses: the filters the counts and the events share. */
class UsageScopeQuery extends UsageTokensQuery {
  @ApiPropertyOptional({ enum: USAGE_KINDS, description: '`verify`: answers of POST /v1/verify; `api`: requests of the API by a service key. Both when left out.' })
  @IsOptional() @IsIn(USAGE_KINDS)
  kind?: UsageKind;
}

/** A period counted from the hourly rollups (GET /v1/usage, /v1/cross-border): bounded, the last 30 days by default. */
class UsagePeriodQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: `Counted from the start of this hour (UTC). Default: ${USAGE_DEFAULT_DAYS} days before \`to\`. At most ${USAGE_MAX_PERIOD_DAYS} days before \`to\`.`,
  })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Up to this moment (exclusive). Default: now.' })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  to?: Date;
}

export class UsageCountsQueryDto extends IntersectionType(UsageScopeQuery, UsagePeriodQueryDto) {
  @ApiPropertyOptional({ enum: USAGE_GROUP_BYS, default: 'day', description: `hour and day are UTC; by hour, the period spans at most ${USAGE_MAX_HOURLY_DAYS} days.` })
  @IsOptional() @IsIn(USAGE_GROUP_BYS)
  groupBy?: UsageGroupBy;
}

/** Whose cross-border transfers and when (only verify answers are ever cross-border: no kind). */
export class CrossBorderQueryDto extends IntersectionType(UsageTokensQuery, UsagePeriodQueryDto) {}

export class CrossBorderExportQueryDto extends CrossBorderQueryDto {
  @ApiPropertyOptional({ enum: CROSS_BORDER_EXPORT_FORMATS, default: 'csv' })
  @IsOptional() @IsIn(CROSS_BORDER_EXPORT_FORMATS)
  format?: CrossBorderExportFormat;
}

/** The scope filters and keyset paging together (IntersectionType copies their validation and documentation). */
export class UsageEventsQueryDto extends IntersectionType(PageQuery, UsageScopeQuery) {
  @ApiPropertyOptional({ description: 'A verify code (VALID, REVOKED, ...) or an outcome of the API.', example: 'VALID' })
  @IsOptional() @IsString() @Length(1, 100)
  outcome?: string;

  @ApiPropertyOptional({ description: 'Observed country, ISO 3166-1 alpha-2 (upper case).', example: 'DE' })
  @IsOptional() @IsString() @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ type: Boolean, description: "Only uses from outside (true) or inside (false) the token's residency region." })
  @IsOptional()
  @IsQueryBoolean()
  crossBorder?: boolean;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Uses at or after this moment.' })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Uses before this moment.' })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  to?: Date;
}

// ---- responses ------------------------------------------------------------------------------

export class UsageBucketResponse implements Mirror<UsageBucketView, UsageBucketResponse> {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'By hour `YYYY-MM-DDTHH:00:00Z`, by day `YYYY-MM-DD` (UTC); else the country, region or outcome; null for uses without a country or region.',
    example: '2026-11-23',
  })
  key!: string | null;

  @ApiProperty() count!: number;
  @ApiProperty(OUTCOME_COUNTS) byOutcome!: Record<string, number>;
}

export class UsageCountsResponse implements Mirror<UsageCountsView, UsageCountsResponse> {
  @ApiProperty({ format: 'date-time', description: 'The start of the first hour counted: counts are of whole UTC hours, from this one up to `to`.' })
  from!: string;

  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: USAGE_GROUP_BYS }) groupBy!: UsageGroupBy;

  @ApiProperty({ type: [UsageBucketResponse], description: 'By hour or day in time order, only those with uses; otherwise the most used first.' })
  buckets!: UsageBucketResponse[];
}

export class UsageEventResponse implements Mirror<UsageEventView, UsageEventResponse> {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ enum: USAGE_KINDS }) kind!: UsageKind;
  @ApiProperty({ type: String, nullable: true, description: 'The token used; null when none was found (MALFORMED, NOT_FOUND).' }) tokenId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The service key that called.' }) callerId!: string | null;
  @ApiProperty({ example: 'VALID' }) outcome!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: "The client's network (IPv4 /24, IPv6 /48): a whole address is never kept.",
    example: '193.99.144.0/24',
  })
  ipPrefix!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Observed from the address; null for private, loopback and unknown ones.', example: 'DE' })
  country!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The caller's `context.country`: recorded, never enforced on." })
  claimedCountry!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'EU' }) region!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The `context.resource` the caller passed.' }) resource!: string | null;
  @ApiProperty({ enum: USAGE_TRANSPORTS }) transport!: UsageTransport;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ description: "From outside the token's residency region." }) crossBorder!: boolean;
  @ApiProperty({ description: 'A geofence in monitor mode would have refused it.' }) geoFlagged!: boolean;
  @ApiProperty({ minimum: 1, example: 1, description: 'How many uses the event stands for: 1, or the count of verifies a service answered from its cache and reported together.' })
  uses!: number;
}

export class UsageEventPageResponse implements Mirror<Page<UsageEventView>, UsageEventPageResponse> {
  @ApiProperty({ type: [UsageEventResponse] }) items!: UsageEventResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class UsageCountryResponse implements Mirror<UsageCountryView, UsageCountryResponse> {
  @ApiProperty({ type: String, nullable: true, description: 'null: uses from private, loopback or unknown addresses.', example: 'DE' })
  country!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The region the latest use from there was counted in.', example: 'EU' })
  region!: string | null;

  @ApiProperty({ format: 'date-time' }) firstSeenAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
  @ApiProperty() count!: number;
}

export class TokenUsageResponse implements Mirror<TokenUsageView, TokenUsageResponse> {
  @ApiProperty() tokenId!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'The latest use, whatever its outcome.' }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) lastUsedCountry!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '193.99.144.0/24' }) lastUsedIpPrefix!: string | null;

  @ApiProperty({ description: `Distinct client addresses (counted by keyed hash, never kept) of the last ${TOKEN_USAGE_WINDOW_DAYS} days.` })
  distinctAddresses30d!: number;

  @ApiProperty({ type: [UsageCountryResponse], description: 'Every country it was used from while usage is kept, the most used first.' })
  countries!: UsageCountryResponse[];

  @ApiProperty({ ...OUTCOME_COUNTS, description: `Uses of the last ${TOKEN_USAGE_WINDOW_DAYS} days per outcome.` })
  byOutcome30d!: Record<string, number>;

  @ApiProperty({ description: `Uses of the last ${TOKEN_USAGE_WINDOW_DAYS} days from outside its residency region.` })
  crossBorderCount30d!: number;

  @ApiProperty({ type: [String], description: `Its scopes a VALID verify asked for in the last ${SCOPE_USE_WINDOW_DAYS} days.`, example: ['patients:read'] })
  scopesUsed90d!: string[];

  @ApiProperty({ type: [String], description: `Its scopes no VALID verify asked for in the last ${SCOPE_USE_WINDOW_DAYS} days: an access review may drop them.`, example: ['patients:write'] })
  scopesUnused90d!: string[];
}

export class CrossBorderTransferResponse implements Mirror<CrossBorderTransferView, CrossBorderTransferResponse> {
  @ApiProperty({ example: 'tok_0Lq3eV1a8dX2m9pQ4rT7sW' }) tokenId!: string;
  @ApiProperty({ example: 'patient-records' }) tokenName!: string;

  @ApiProperty({ type: String, nullable: true, description: "The token's residency region (as it is now); null when it has none any longer.", example: 'EU' })
  fromRegion!: string | null;

  @ApiProperty({ description: 'The observed country, ISO 3166-1 alpha-2.', example: 'US' }) toCountry!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The region the latest of these uses was counted in.', example: 'US' }) toRegion!: string | null;
  @ApiProperty({ description: 'Uses from that country in the period, every answer (refusals included).', example: 14 }) count!: number;

  @ApiProperty({
    ...OUTCOME_COUNTS,
    description: 'The uses by verify answer: VALID ones were let through, GEO_BLOCKED ones refused by an enforced geofence.',
    example: { VALID: 12, GEO_BLOCKED: 2 },
  })
  byOutcome!: Record<string, number>;

  @ApiProperty({ format: 'date-time', description: 'The first of these uses (counted by whole hours: it may fall before `from` in its first hour).' }) firstAt!: string;
  @ApiProperty({ format: 'date-time' }) lastAt!: string;
}

export class CrossBorderResponse implements Mirror<CrossBorderView, CrossBorderResponse> {
  @ApiProperty({ format: 'date-time', description: 'The start of the first hour counted: counts are of whole UTC hours, from this one up to `to`.' })
  from!: string;

  @ApiProperty({ format: 'date-time' }) to!: string;

  @ApiProperty({ type: [CrossBorderTransferResponse], description: 'One per token and destination country, ordered by token id, then country.' })
  items!: CrossBorderTransferResponse[];
}
