import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@custos/contracts';
import { AUTH_POLICY_LIMITS, type AuthPolicy } from '@custos/domain';
import { ArrayMaxSize, IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import type { Mirror } from '../http/mirror';
import { IsOptionalButNotNull } from '../http/validators';

const { stepUpSeconds, idleMinutes, absoluteHours } = AUTH_POLICY_LIMITS;

/** The sign-in policy in a PUT: each field left out keeps its current value. */
export class AuthPolicyDto implements Mirror<Partial<AuthPolicy>, AuthPolicyDto> {
  @ApiPropertyOptional({
    enum: ROLES,
    isArray: true,
    example: ['owner', 'admin'],
    description: 'People of these roles must have MFA: without it, their next log-in can only enrol a method.',
  })
  @IsOptionalButNotNull() @IsArray() @ArrayMaxSize(ROLES.length) @IsIn(ROLES, { each: true })
  requireMfaForRoles?: Role[];

  @ApiPropertyOptional({ minimum: stepUpSeconds.min, maximum: stepUpSeconds.max, example: 600, description: 'A sensitive action needs an MFA check within this many seconds.' })
  @IsOptionalButNotNull() @IsInt() @Min(stepUpSeconds.min) @Max(stepUpSeconds.max)
  stepUpSeconds?: number;

  @ApiPropertyOptional({ minimum: idleMinutes.min, maximum: idleMinutes.max, example: 120, description: 'A session unused this long ends.' })
  @IsOptionalButNotNull() @IsInt() @Min(idleMinutes.min) @Max(idleMinutes.max)
  idleMinutes?: number;

  @ApiPropertyOptional({ minimum: absoluteHours.min, maximum: absoluteHours.max, example: 12, description: 'A session ends this long after it started.' })
  @IsOptionalButNotNull() @IsInt() @Min(absoluteHours.min) @Max(absoluteHours.max)
  absoluteHours?: number;
}

export class AuthPolicyResponse extends AuthPolicyDto implements Mirror<AuthPolicy, AuthPolicyResponse> {
  @ApiProperty({ enum: ROLES, isArray: true, required: true }) declare requireMfaForRoles: Role[];
  @ApiProperty({ required: true }) declare stepUpSeconds: number;
  @ApiProperty({ required: true }) declare idleMinutes: number;
  @ApiProperty({ required: true }) declare absoluteHours: number;
}
