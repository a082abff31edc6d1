import { ApiProperty } from '@nestjs/swagger';
import { SESSION_METHODS, type SessionMethod } from '@custos/contracts';
import type { MfaStatus, SessionView } from '@custos/application';
import { IsString, Length } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { AllowSecret } from '../http/request-text';

/** A request that takes no fields; unknown ones are refused like everywhere else. */
export class EmptyBodyDto {}

/** A second factor given to confirm something: a TOTP code or an unused recovery code. */
export class MfaCodeDto {
  @ApiProperty({ description: 'A six-digit code from the authenticator app, or an unused recovery code (xxxx-xxxx-xxxx).', example: '123456' })
  @IsString() @Length(6, 20) @AllowSecret('a one-time code, checked and never stored')
  code!: string;
}

export class TotpEnrolmentResponse {
  @ApiProperty({ description: 'Base32, for typing into the app by hand. Shown now only; stored sealed.' }) secret!: string;
  @ApiProperty({ description: 'The otpauth:// URI the app scans (the dashboard shows it as a QR code).' }) otpauthUri!: string;
}

export class RecoveryCodesResponse {
  @ApiProperty({ type: [String], description: 'Ten one-time codes, shown this once; each signs in once in place of a TOTP code.' })
  recoveryCodes!: string[];
}

export class TotpStatusResponse {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) enabledAt!: string | null;
  @ApiProperty({ description: 'An enrolment was started and waits for its first code.' }) pending!: boolean;
}

export class MfaStatusResponse implements Mirror<MfaStatus, MfaStatusResponse> {
  @ApiProperty({ type: TotpStatusResponse }) totp!: TotpStatusResponse;
  @ApiProperty({ description: 'Unused recovery codes.' }) recoveryCodesLeft!: number;
}

export class StepUpResponse {
  @ApiProperty({ format: 'date-time', description: 'When this session passed its MFA check.' }) mfaAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Sensitive actions are allowed until then (the policy\'s auth.stepUpSeconds).' }) stepUpUntil!: string;
}

export class SessionItemResponse implements Mirror<SessionView, SessionItemResponse> {
  @ApiProperty({ example: 'ses_0VcfPqR2aBcDeFgHiJkLmN' }) id!: string;
  @ApiProperty({ description: 'The session this request came with.' }) current!: boolean;
  @ApiProperty({ enum: SESSION_METHODS }) method!: SessionMethod;
  @ApiProperty({ type: String, nullable: true, description: "The browser's User-Agent when the session started." }) device!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.0/24', description: 'The network it started from; the address itself is not kept.' })
  ipPrefix!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) country!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastSeenAt!: string;
}

export class SessionListResponse {
  @ApiProperty({ type: [SessionItemResponse] }) items!: SessionItemResponse[];
}
