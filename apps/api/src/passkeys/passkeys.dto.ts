import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { PasskeyView } from '@custos/application';
import { AllowSecret } from '../http/request-text';
import type { Mirror } from '../http/mirror';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BINARY_MAX = 16_384;

export class PasskeyNameDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Work laptop', description: 'What the person calls this passkey in their list.' })
  @IsString() @Length(1, 100) @Matches(/\S/, { message: 'must not be blank' })
  name!: string;
}

/** The attestation part of navigator.credentials.create()'s answer, as @simplewebauthn/browser encodes it. */
export class AttestationResponseDto {
  @ApiProperty({ description: 'base64url' }) @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  clientDataJSON!: string;

  @ApiProperty({ description: 'base64url (CBOR)' }) @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  attestationObject!: string;

  @ApiPropertyOptional({ description: 'base64url' }) @IsOptional() @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  authenticatorData?: string;

  @ApiPropertyOptional({ type: [String], example: ['internal'] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(20, { each: true })
  transports?: string[];

  @ApiPropertyOptional({ example: -7 }) @IsOptional() @IsInt()
  publicKeyAlgorithm?: number;

  @ApiPropertyOptional({ description: 'base64url (SPKI)' }) @IsOptional() @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  publicKey?: string;
}

/** The assertion part of navigator.credentials.get()'s answer, as @simplewebauthn/browser encodes it. */
export class AssertionResponseDto {
  @ApiProperty({ description: 'base64url' }) @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  clientDataJSON!: string;

  @ApiProperty({ description: 'base64url' }) @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  authenticatorData!: string;

  @ApiProperty({ description: 'base64url' }) @IsString() @MaxLength(BINARY_MAX) @Matches(BASE64URL)
  signature!: string;

  @ApiPropertyOptional({ description: 'base64url' }) @IsOptional() @IsString() @MaxLength(1024) @Matches(BASE64URL)
  userHandle?: string;
}

abstract class CredentialDto {
  @ApiProperty({ description: 'The credential id, base64url.' }) @IsString() @Length(1, 1400) @Matches(BASE64URL)
  id!: string;

  @ApiProperty({ description: 'The same id, base64url.' }) @IsString() @Length(1, 1400) @Matches(BASE64URL)
  rawId!: string;

  @ApiProperty({ enum: ['public-key'] }) @IsIn(['public-key'])
  type!: 'public-key';

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} }) @IsObject()
  clientExtensionResults!: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'] }) @IsOptional() @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: 'platform' | 'cross-platform';
}

/** RegistrationResponseJSON: what startRegistration() of @simplewebauthn/browser answers. */
export class RegistrationResponseDto extends CredentialDto {
  @ApiProperty({ type: AttestationResponseDto }) @ValidateNested() @Type(() => AttestationResponseDto)
  response!: AttestationResponseDto;
}

/** AuthenticationResponseJSON: what startAuthentication() of @simplewebauthn/browser answers. */
export class AuthenticationResponseDto extends CredentialDto {
  @ApiProperty({ type: AssertionResponseDto }) @ValidateNested() @Type(() => AssertionResponseDto)
  response!: AssertionResponseDto;
}

export class RegisterPasskeyDto extends PasskeyNameDto {
  @ApiProperty({ type: RegistrationResponseDto, description: 'The browser\'s answer to the options of POST /v1/me/passkeys/registration-options.' })
  @ValidateNested() @Type(() => RegistrationResponseDto)
  response!: RegistrationResponseDto;
}

export class PasskeyAssertionDto {
  @ApiProperty({ type: AuthenticationResponseDto, description: "The browser's answer to the options given just before." })
  @ValidateNested() @Type(() => AuthenticationResponseDto)
  response!: AuthenticationResponseDto;
}

export class MfaTokenDto {
  @ApiProperty({ description: 'From the log-in answer.' }) @IsString() @Length(1, 100) @AllowSecret('the one-time mfaToken of a log-in; only its SHA-256 is stored')
  mfaToken!: string;
}

export class WebauthnLoginDto extends PasskeyAssertionDto {
  @ApiProperty({ description: 'From the log-in answer.' }) @IsString() @Length(1, 100) @AllowSecret('the one-time mfaToken of a log-in; only its SHA-256 is stored')
  mfaToken!: string;
}

export class PasskeyResponse implements Mirror<PasskeyView, PasskeyResponse> {
  @ApiProperty({ example: 'pky_0Vcf1ATwQ3' }) id!: string;
  @ApiProperty({ example: 'Work laptop' }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Its last log-in or step-up; null if never used since registered.' })
  lastUsedAt!: string | null;
}

export class PasskeyListResponse {
  @ApiProperty({ type: [PasskeyResponse], description: 'Oldest first.' }) items!: PasskeyResponse[];
}

/** PublicKeyCredentialCreationOptionsJSON: hand it to startRegistration({ optionsJSON }) of @simplewebauthn/browser. */
export class PasskeyCreationOptionsResponse {
  @ApiProperty({ description: 'base64url; good once, for two minutes.' }) challenge!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { id: 'localhost', name: 'Custos' } }) rp!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'id (base64url), name and displayName (the e-mail).' }) user!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) pubKeyCredParams!: Record<string, unknown>[];
  @ApiPropertyOptional() timeout?: number;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The passkeys the person has already.' })
  excludeCredentials?: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) authenticatorSelection?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'none' }) attestation?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) extensions?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String] }) hints?: string[];
}

/** PublicKeyCredentialRequestOptionsJSON: hand it to startAuthentication({ optionsJSON }) of @simplewebauthn/browser. */
export class PasskeyRequestOptionsResponse {
  @ApiProperty({ description: 'base64url; good once.' }) challenge!: string;
  @ApiPropertyOptional() timeout?: number;
  @ApiPropertyOptional() rpId?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true }, description: "The person's passkeys." })
  allowCredentials?: Record<string, unknown>[];
  @ApiPropertyOptional({ example: 'preferred' }) userVerification?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) extensions?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [String] }) hints?: string[];
}
