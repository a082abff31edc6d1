import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { LOGIN_MFA_METHODS, ROLES, SESSION_RESTRICTIONS, type LoginMfaMethod, type Role, type SessionRestriction } from '@custos/contracts';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { ActorView, TenantView, UserView } from '@custos/application';
import { AllowSecret } from '../http/request-text';
import type { Mirror } from '../http/mirror';

export class SignupDto {
  @ApiProperty({ example: 'Acme Corp', maxLength: 200 })
  @IsString() @Length(1, 200)
  organization!: string;

  @ApiProperty({ example: 'owner@acme.test' })
  @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 12, maxLength: 200 })
  @IsString() @Length(12, 200) @AllowSecret('a password is hashed with argon2id, never stored or logged as text')
  password!: string;
}

export class LoginDto {
  @ApiProperty() @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty() @IsString() @Length(1, 200) @AllowSecret('a password is hashed with argon2id, never stored or logged as text')
  password!: string;
}

/** Log-out takes no fields; unknown ones are refused like everywhere else. */
export class LogoutDto {}

export class CreateUserDto {
  @ApiProperty() @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 12 }) @IsString() @Length(12, 200) @AllowSecret('a password is hashed with argon2id, never stored or logged as text')
  password!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES)
  role!: Role;
}

export class UpdateUserDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES)
  role!: Role;
}

export class RemoveUserQuery {
  @ApiPropertyOptional({ example: 'usr_…', description: 'Who takes over the tokens and services the person stewards.' })
  @IsOptional() @IsString() @MaxLength(64)
  successor?: string;
}

export class UserResponse implements Mirror<UserView, UserResponse> {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'The person has a second factor (TOTP or a passkey) enrolled.' }) mfaEnabled!: boolean;
}

/** Who an actor id names; the view keeps the id beside it. */
export class ActorResponse implements Mirror<ActorView, ActorResponse> {
  @ApiProperty({ example: 'usr_0Vcf1ATwQ3' }) id!: string;
  @ApiProperty({ enum: ['user', 'service_key'] }) kind!: 'user' | 'service_key';
  @ApiProperty({ type: String, nullable: true, description: "A person's e-mail (the one the account had, if removed since); null for a service key." })
  email!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "A service key's service name, or the key's own name when it belongs to no service; null for a person." })
  name!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When the person's account was removed; null while it exists." })
  removedAt!: string | null;
}

export class TenantResponse implements Mirror<TenantView, TenantResponse> {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class SessionResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ type: TenantResponse }) tenant!: TenantResponse;
  @ApiProperty({ description: 'Send it as X-CSRF-Token on every unsafe cookie-authenticated request.' }) csrfToken!: string;
  @ApiProperty({ type: [String], description: "The custos scopes of the user's role." }) scopes!: string[];
  @ApiProperty({
    enum: SESSION_RESTRICTIONS,
    nullable: true,
    description:
      'What the session must do before anything else: `mfa_enrolment` (the policy requires MFA for the role) or `password_change` ' +
      '(the password was chosen by someone else). Every other request answers 403 with the matching code until it is done.',
  })
  restriction!: SessionRestriction | null;
}

/** A log-in whose password was right: either the session, or the second factor to give first. */
export class LoginResponse extends PartialType(SessionResponse) {
  @ApiProperty({ description: 'true: no session yet; send the mfaToken and a second factor to POST /v1/auth/mfa.' }) mfaRequired!: boolean;
  @ApiPropertyOptional({ description: 'One-time, valid five minutes; stands for the password check. Only when mfaRequired.' }) mfaToken?: string;
  @ApiPropertyOptional({ enum: LOGIN_MFA_METHODS, isArray: true, description: 'The second factors the person can give. Only when mfaRequired.' })
  methods?: LoginMfaMethod[];
  @ApiPropertyOptional({ format: 'date-time', description: 'When the mfaToken ends. Only when mfaRequired.' }) expiresAt?: string;
}

export class MfaLoginDto {
  @ApiProperty({ description: 'From the log-in answer.' }) @IsString() @Length(1, 100) @AllowSecret('the one-time mfaToken of a log-in; only its SHA-256 is stored')
  mfaToken!: string;

  @ApiProperty({ description: 'A six-digit code from the authenticator app, or an unused recovery code (xxxx-xxxx-xxxx).', example: '123456' })
  @IsString() @Length(6, 20) @AllowSecret('a one-time code, checked and never stored')
  code!: string;
}

/** "Who am I, if anyone": the dashboard's first request, which must not fail before log-in. */
export class SessionProbeResponse {
  @ApiProperty({ description: 'Whether the request carries a live session cookie.' }) authenticated!: boolean;
  @ApiProperty({ type: SessionResponse, nullable: true, description: 'The session, as log-in answers it; null when there is none.' })
  session!: SessionResponse | null;
}
