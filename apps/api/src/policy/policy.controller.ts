import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { PolicyService, type PolicyView, type Principal, type RequestMeta } from '@custos/application';
import { GEO_MODES, type GeoMode } from '@custos/contracts';
import { UNKNOWN_LOCATION_RULES, type CustomRegionGroup, type GeoPolicyRule, type TenantGeoPolicy, type UnknownLocationRule } from '@custos/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { RateLimitDto } from '../http/rate-limit.dto';
import { COUNTRY_CODE, IsDataCategory, IsOptionalButNotNull, MAX_GRACE_SECONDS, MAX_LIFETIME_SECONDS, REGION_CODE } from '../http/validators';
import { AuthPolicyDto, AuthPolicyResponse } from './auth-policy.dto';
import type { Mirror } from '../http/mirror';
import { ApiDoc } from '../openapi/operation-docs';
import { AlertPolicyDto, AlertPolicyResponse } from '../alerts/alert-policy.dto';
import { ReviewPolicyDto, ReviewPolicyResponse } from '../reviews/review-policy.dto';

export class GeoPolicyRuleDto implements Mirror<GeoPolicyRule, GeoPolicyRuleDto> {
  @ApiProperty({ type: [String], example: ['health'], description: 'The rule applies to every token reaching one of these.' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @IsDataCategory({ each: true })
  dataCategories!: string[];

  @ApiProperty({ enum: ['monitor', 'enforce'] })
  @IsIn(['monitor', 'enforce'])
  mode!: Exclude<GeoMode, 'off'>;

  @ApiProperty({ type: [String], example: ['EU'] })
  @IsArray() @ArrayMaxSize(50) @Matches(REGION_CODE, { each: true })
  allowedRegions!: string[];

  @ApiProperty({ type: [String], example: [] })
  @IsArray() @ArrayMaxSize(250) @Matches(COUNTRY_CODE, { each: true })
  allowedCountries!: string[];
}

export class RegionGroupDto implements Mirror<CustomRegionGroup, RegionGroupDto> {
  @ApiProperty({ example: 'DACH', description: "2 to 32 of A-Z, 0-9, '_' and '-'; not a country's code." })
  @IsString() @Matches(REGION_CODE)
  code!: string;

  @ApiPropertyOptional({ example: 'Germany, Austria, Switzerland', maxLength: 100 })
  @IsOptionalButNotNull() @IsString() @Length(1, 100)
  name?: string;

  @ApiProperty({ type: [String], example: ['DE', 'AT', 'CH'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(250) @Matches(COUNTRY_CODE, { each: true })
  countries!: string[];
}

/** Each field left out keeps its current value. */
export class GeoPolicyDto implements Mirror<Partial<TenantGeoPolicy>, GeoPolicyDto> {
  @ApiPropertyOptional({ enum: GEO_MODES, description: 'The geo mode of tokens issued without one.' })
  @IsOptionalButNotNull() @IsIn(GEO_MODES)
  defaultMode?: GeoMode;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'EU', description: 'The residency region of tokens issued without one.' })
  @IsOptional() @IsString() @Matches(REGION_CODE)
  defaultResidencyRegion?: string | null;

  @ApiPropertyOptional({ enum: UNKNOWN_LOCATION_RULES, description: 'block: a use from an unknown location is outside every geofence.' })
  @IsOptionalButNotNull() @IsIn(UNKNOWN_LOCATION_RULES)
  unknownLocation?: UnknownLocationRule;

  @ApiPropertyOptional({ type: [GeoPolicyRuleDto], description: 'Applied with each token\'s own geofence; the narrowest wins.' })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => GeoPolicyRuleDto)
  rules?: GeoPolicyRuleDto[];

  @ApiPropertyOptional({ type: [RegionGroupDto], description: "The tenant's own region groups, usable wherever a region is." })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RegionGroupDto)
  regionGroups?: RegionGroupDto[];
}

export class PolicyDto {
  @ApiProperty({ minimum: 60, example: 7776000, description: 'Longest lifetime a token may be issued with.' })
  @IsInt() @Min(60) @Max(MAX_LIFETIME_SECONDS)
  maxLifetimeSeconds!: number;

  @ApiProperty({ type: Number, nullable: true, minimum: 60, description: 'Rotation interval for new tokens that give none.' })
  @ValidateIf((_o, v) => v !== null) @IsInt() @Min(60) @Max(MAX_LIFETIME_SECONDS)
  defaultRotationIntervalSeconds!: number | null;

  @ApiProperty({ minimum: 0, example: 86400 })
  @IsInt() @Min(0) @Max(MAX_GRACE_SECONDS)
  defaultGracePeriodSeconds!: number;

  @ApiProperty({ minimum: 1, example: 90 })
  @IsInt() @Min(1) @Max(3650)
  disableUnusedAfterDays!: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['personal', 'health'],
    description: 'Data categories a token may only reach when bound to a consent. Left out: unchanged.',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @IsDataCategory({ each: true })
  requireConsentFor?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, example: 90, description: 'Days usage events are kept. Left out: unchanged.' })
  @IsOptionalButNotNull() @IsInt() @Min(1) @Max(3650)
  usageRetentionDays?: number;

  @ApiPropertyOptional({ type: RateLimitDto, description: 'Requests each service key may make on the API per window (verify is not counted). Left out: unchanged.' })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => RateLimitDto)
  apiRateLimit?: RateLimitDto;

  @ApiPropertyOptional({ type: GeoPolicyDto, description: 'Left out, or a field of it left out: unchanged.' })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => GeoPolicyDto)
  geo?: GeoPolicyDto;

  @ApiPropertyOptional({ type: AlertPolicyDto, description: 'Alert rules (docs/alerts.md). Left out, or a rule or field of it left out: unchanged.' })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => AlertPolicyDto)
  alerts?: AlertPolicyDto;

  @ApiPropertyOptional({ type: ReviewPolicyDto, description: 'Access reviews (docs/access-reviews.md). Left out, or a field of it left out: unchanged.' })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => ReviewPolicyDto)
  reviews?: ReviewPolicyDto;

  @ApiPropertyOptional({ type: AuthPolicyDto, description: 'Sign-in: MFA per role, step-up, session limits (docs/authentication.md). Left out, or a field of it left out: unchanged.' })
  @IsOptionalButNotNull() @ValidateNested() @Type(() => AuthPolicyDto)
  auth?: AuthPolicyDto;
}

export class GeoPolicyResponse implements Mirror<TenantGeoPolicy, GeoPolicyResponse> {
  @ApiProperty({ enum: GEO_MODES }) defaultMode!: GeoMode;
  @ApiProperty({ type: String, nullable: true }) defaultResidencyRegion!: string | null;
  @ApiProperty({ enum: UNKNOWN_LOCATION_RULES }) unknownLocation!: UnknownLocationRule;
  @ApiProperty({ type: [GeoPolicyRuleDto] }) rules!: GeoPolicyRuleDto[];
  @ApiProperty({ type: [RegionGroupDto] }) regionGroups!: RegionGroupDto[];
}

export class PolicyResponse extends PolicyDto implements Mirror<PolicyView, PolicyResponse> {
  // required: the answer always has them, though a PUT may leave them out (the parent's ApiPropertyOptional).
  @ApiProperty({ type: [String], example: ['personal', 'health'], required: true }) declare requireConsentFor: string[];
  @ApiProperty({ example: 90, required: true }) declare usageRetentionDays: number;
  @ApiProperty({ type: RateLimitDto, required: true }) declare apiRateLimit: RateLimitDto;
  @ApiProperty({ type: GeoPolicyResponse, required: true }) declare geo: GeoPolicyResponse;
  @ApiProperty({ type: AlertPolicyResponse, required: true }) declare alerts: AlertPolicyResponse;
  @ApiProperty({ type: ReviewPolicyResponse, required: true }) declare reviews: ReviewPolicyResponse;
  @ApiProperty({ type: AuthPolicyResponse, required: true }) declare auth: AuthPolicyResponse;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiTags('policy')
@Controller('v1/policy')
export class PolicyController {
  constructor(private readonly policies: PolicyService) {}

  @Get()
  @RequireScopes('custos:policy:read')
  @ApiOkResponse({ type: PolicyResponse })
  @ApiDoc({ summary: "The tenant's token policy" })
  get(@CurrentPrincipal() principal: Principal): Promise<PolicyView> {
    return this.policies.get(principal);
  }

  @Put()
  @RequireScopes('custos:policy:write')
  @ApiOkResponse({ type: PolicyResponse })
  @ApiDoc({
    summary: "Replace the tenant's token policy",
    description:
      'Every api instance applies it within 5 seconds; consent and geo rules reach verify at once. requireConsentFor, usageRetentionDays, apiRateLimit and geo (or any field of it) left out: unchanged.',
    example: {
      maxLifetimeSeconds: 7776000,
      defaultRotationIntervalSeconds: null,
      defaultGracePeriodSeconds: 86400,
      disableUnusedAfterDays: 90,
      requireConsentFor: ['personal', 'health'],
      usageRetentionDays: 90,
      apiRateLimit: { limit: 1200, windowSeconds: 60 },
      geo: {
        defaultMode: 'off',
        defaultResidencyRegion: null,
        unknownLocation: 'allow',
        rules: [{ dataCategories: ['health'], mode: 'enforce', allowedRegions: ['EU'], allowedCountries: [] }],
        regionGroups: [{ code: 'DACH', name: 'Germany, Austria, Switzerland', countries: ['DE', 'AT', 'CH'] }],
      },
    },
  })
  replace(@CurrentPrincipal() principal: Principal, @Body() body: PolicyDto, @Meta() meta: RequestMeta): Promise<PolicyView> {
    return this.policies.replace(principal, body, meta);
  }
}
