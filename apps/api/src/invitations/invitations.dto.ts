import { ApiProperty } from '@nestjs/swagger';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLES, type Role } from '@custos/contracts';
import type { CreatedInvitation, InvitationPreview, InvitationView } from '@custos/application';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { AllowSecret } from '../http/request-text';
import type { Mirror } from '../http/mirror';

export class CreateInvitationDto {
  @ApiProperty({ example: 'dev@acme.test' }) @IsEmail() @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: ROLES, description: 'The role the person gets on accepting; the caller must hold all of it.' }) @IsIn(ROLES)
  role!: Role;
}

export class AcceptInvitationDto {
  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: 'The password the person chooses: at least 12 characters, not a common password, not their e-mail.',
  })
  @IsString() @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH) @AllowSecret('a password is hashed with argon2id, never stored or logged as text')
  password!: string;
}

export class InvitationResponse implements Mirror<InvitationView, InvitationResponse> {
  @ApiProperty({ example: 'inv_0Vcf1ATwQ3' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'Who invited: a person (usr_…) or a service key (tok_…).' }) invitedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: '72 hours after creation.' }) expiresAt!: string;
}

export class CreatedInvitationResponse extends InvitationResponse implements Mirror<CreatedInvitation, CreatedInvitationResponse> {
  @ApiProperty({ description: 'The one-time token of the link; shown this once, only its SHA-256 is kept.' }) token!: string;
  @ApiProperty({ description: "The dashboard's accept page, the token in its fragment (#token=…): give it to the person if no e-mail went out." })
  url!: string;
  @ApiProperty({ description: 'Whether the link was also sent by e-mail (SMTP_URL configured and the mail server took it).' }) emailed!: boolean;
}

export class InvitationListResponse implements Mirror<{ items: InvitationView[] }, InvitationListResponse> {
  @ApiProperty({ type: [InvitationResponse] }) items!: InvitationResponse[];
}

export class InvitationPreviewResponse implements Mirror<InvitationPreview, InvitationPreviewResponse> {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: 'The name of the organisation the person is invited to.' }) organization!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH }) @IsString() @Length(1, PASSWORD_MAX_LENGTH) @AllowSecret('a password is checked against its argon2id hash, never stored or logged as text')
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: 'At least 12 characters, not a common password, not your e-mail.' })
  @IsString() @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH) @AllowSecret('a password is hashed with argon2id, never stored or logged as text')
  newPassword!: string;
}
