import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { SSO_LIMITS, type SsoConfigInput, type SsoConfigView, type SsoOverview } from '@custos/application';
import { ROLES, type Role } from '@custos/contracts';
import type { SsoTestOutcome } from '@custos/persistence';
import { IsBoolean, IsIn, IsObject, IsString, Length, ValidateIf } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { AllowSecret } from '../http/request-text';
import { IsOptionalButNotNull, MaxJsonBytes, IsQueryBoolean } from '../http/validators';

const ROLE_MAPPING_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { type: 'string', enum: [...ROLES] },
  example: { 'custos-admins': 'admin', 'custos-operators': 'operator' },
  description: `A value of the role claim → the role it gives (at most ${SSO_LIMITS.mappingEntries} entries). Several values map: the strongest role wins.`,
};

export class SsoConfigDto implements Mirror<SsoConfigInput, SsoConfigDto> {
  @ApiProperty({ example: 'https://login.example.com', maxLength: SSO_LIMITS.issuer, description: 'The IdP\'s issuer URL; its OIDC discovery document is read before the configuration is saved.' })
  @IsString() @Length(1, SSO_LIMITS.issuer)
  issuer!: string;

  @ApiProperty({ example: 'custos', maxLength: SSO_LIMITS.clientId })
  @IsString() @Length(1, SSO_LIMITS.clientId)
  clientId!: string;

  @ApiPropertyOptional({
    example: 'the client secret the IdP issued',
    maxLength: SSO_LIMITS.clientSecret,
    writeOnly: true,
    description: 'Sealed at rest and never answered. Leave it out to keep the saved one (same issuer and client id only).',
  })
  @IsOptionalButNotNull() @IsString() @Length(1, SSO_LIMITS.clientSecret)
  @AllowSecret('the IdP client secret is sealed (SecretBox) at once, never stored or logged as text')
  clientSecret?: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'groups', maxLength: SSO_LIMITS.roleClaim, description: 'The ID token claim holding the person\'s groups or roles; null: everyone gets defaultRole.' })
  @ValidateIf((_o, v) => v !== null && v !== undefined) @IsString() @Length(1, SSO_LIMITS.roleClaim)
  roleClaim?: string | null;

  @ApiProperty(ROLE_MAPPING_SCHEMA)
  @IsObject() @MaxJsonBytes(16_384)
  roleMapping!: Record<string, Role>;

  @ApiProperty({ enum: ROLES, example: 'viewer', description: 'The role of a person whose claims map to none.' })
  @IsIn(ROLES)
  defaultRole!: Role;

  @ApiProperty({ example: false, description: 'Password log-in off for everyone but the break-glass owner (the owner who enforces it).' })
  @IsBoolean()
  enforce!: boolean;
}

export class SsoTestClaimsResponse {
  @ApiProperty() sub!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) emailVerified!: boolean | null;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ nullable: true, description: 'The role claim\'s value as the IdP sent it (a string or a list).', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })
  roleClaim!: unknown;
}

export class SsoTestResponse implements Mirror<SsoTestOutcome, SsoTestResponse> {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'The owner or admin who ran it.' }) by!: string;
  @ApiProperty({ description: 'The round trip worked and the IdP sent a usable e-mail.' }) ok!: boolean;
  @ApiPropertyOptional({ description: 'What went wrong: an error code and a short reason.' }) error?: string;
  @ApiPropertyOptional({ type: SsoTestClaimsResponse }) claims?: SsoTestClaimsResponse;
  @ApiPropertyOptional({ enum: ROLES, description: 'The role a first sign-in with these claims would get.' }) mappedRole?: Role;
  @ApiPropertyOptional({ description: 'A person with that e-mail exists in this organization (a sign-in would reuse them, role unchanged).' }) existingUser?: boolean;
}

export class SsoConfigResponse implements Mirror<SsoConfigView, SsoConfigResponse> {
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty({ enum: [true], description: 'The secret is set; it is never answered.' }) clientSecretSet!: true;
  @ApiProperty({ type: String, nullable: true }) roleClaim!: string | null;
  @ApiProperty(ROLE_MAPPING_SCHEMA) roleMapping!: Record<string, Role>;
  @ApiProperty({ enum: ROLES }) defaultRole!: Role;
  @ApiProperty() enforce!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'While enforced: the owner whose password still signs in.' }) breakGlassUserId!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Who saved it last (usr_… or tok_…).' }) updatedBy!: string;
  @ApiProperty({ type: SsoTestResponse, nullable: true, description: 'The latest test sign-in with this issuer and client.' }) lastTest!: SsoTestResponse | null;
}

export class SsoOverviewResponse implements Mirror<SsoOverview & { redirectUri: string; startUrl: string }, SsoOverviewResponse> {
  @ApiProperty({ type: SsoConfigResponse, nullable: true, description: 'null: no SSO configured.' }) config!: SsoConfigResponse | null;
  @ApiProperty({ example: 'acme-corp', description: 'What people type at "Sign in with SSO".' }) tenantSlug!: string;
  @ApiProperty({ example: 'https://custos.example.com/v1/auth/sso/callback', description: 'The redirect URI to register at the IdP.' }) redirectUri!: string;
  @ApiProperty({ example: 'https://custos.example.com/v1/auth/sso/acme-corp/start', description: 'Where a sign-in through the IdP starts.' }) startUrl!: string;
}

export class SsoStartQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'A test sign-in by an owner or admin signed in to this organization: reports what the IdP sends, creates no one and no session.' })
  @IsOptionalButNotNull() @IsQueryBoolean()
  test?: boolean;
}
