import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_STATUSES, LAWFUL_BASES, TOKEN_STATUSES, type ConsentStatus, type LawfulBasis, type TokenStatus } from '@custos/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDate, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { BoundTokenView, ConsentDetail, ConsentVersionView, ConsentView, Page, SubjectReport, Withdrawal } from '@custos/application';
import { PageQuery } from '../http/page-query';
import { IsDataCategory } from '../http/validators';
import type { Mirror } from '../http/mirror';
import { ActorResponse } from '../accounts/accounts.dto';

/**
 * A pseudonymous reference: letters, digits and `._:~-`, no `@` and no spaces, so that neither an
 * email address nor a name fits. The tenant keeps the mapping to the person.
 */
export const SUBJECT_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$/;
const SUBJECT_REF_RULE = 'must be a pseudonymous reference (letters, digits and ._:~- only), never an email address or a name';
const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;
const JURISDICTION_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

export class CreateConsentDto {
  @ApiProperty({ example: 'subj_7f3a9c', maxLength: 200, description: `Chosen by the tenant; ${SUBJECT_REF_RULE}.` })
  @IsString() @Matches(SUBJECT_REF_PATTERN, { message: `subjectRef ${SUBJECT_REF_RULE}` })
  subjectRef!: string;

  @ApiProperty({ example: 'order-fulfilment', maxLength: 100, description: 'Lower-case, ^[a-z0-9][a-z0-9_.:-]{0,99}$' })
  @IsString() @Matches(PURPOSE_PATTERN, { message: 'purpose must be lower-case letters, digits and _.:- (at most 100)' })
  purpose!: string;

  @ApiProperty({ type: [String], example: ['personal', 'health'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @IsDataCategory({ each: true })
  dataCategories!: string[];

  @ApiProperty({ enum: LAWFUL_BASES, description: 'GDPR Art. 6(1) basis.' })
  @IsIn(LAWFUL_BASES)
  lawfulBasis!: LawfulBasis;

  @ApiProperty({ example: 'EU', description: 'ISO 3166-1 alpha-2, optionally with a subdivision: EU, DE, US-CA.' })
  @IsString() @Matches(JURISDICTION_PATTERN, { message: 'jurisdiction must be like EU, DE or US-CA' })
  jurisdiction!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  @Type(() => Date) @IsDate()
  validFrom!: Date;

  @ApiProperty({ type: String, format: 'date-time', description: 'After validFrom.' })
  @Type(() => Date) @IsDate()
  validUntil!: Date;

  @ApiPropertyOptional({ example: 'web-signup-form-v3', maxLength: 200, description: 'Where the consent was collected.' })
  @IsOptional() @IsString() @Length(1, 200)
  source?: string;
}

export class ListConsentsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(SUBJECT_REF_PATTERN, { message: `subjectRef ${SUBJECT_REF_RULE}` })
  subjectRef?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  purpose?: string;

  @ApiPropertyOptional({ enum: CONSENT_STATUSES }) @IsOptional() @IsIn(CONSENT_STATUSES)
  status?: ConsentStatus;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Only consents in force at this instant.' })
  @IsOptional() @Type(() => Date) @IsDate()
  validAt?: Date;
}

export class WithdrawConsentDto {
  @ApiPropertyOptional({ example: 'withdrawn by the data subject in the privacy centre', maxLength: 500 })
  @IsOptional() @IsString() @Length(1, 500)
  reason?: string;
}

export class RenewConsentDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'Later than the current validUntil.' })
  @Type(() => Date) @IsDate()
  validUntil!: Date;
}

export class ConsentResponse implements Mirror<ConsentView, ConsentResponse> {
  @ApiProperty({ example: 'cns_…' }) id!: string;
  @ApiProperty() subjectRef!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty({ enum: LAWFUL_BASES }) lawfulBasis!: LawfulBasis;
  @ApiProperty() jurisdiction!: string;
  @ApiProperty({ format: 'date-time' }) validFrom!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ type: String, nullable: true }) source!: string | null;
  @ApiProperty({ enum: CONSENT_STATUSES }) status!: ConsentStatus;
  @ApiProperty({ description: '1 for the original window, one more per renewal.' }) version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawnReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Tokens ever bound to this consent, whatever their status now.' }) boundTokens!: number;
}

export class ConsentVersionResponse implements Mirror<ConsentVersionView, ConsentVersionResponse> {
  @ApiProperty({ example: 'cnv_…' }) id!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) validFrom!: string;
  @ApiProperty({ format: 'date-time' }) validUntil!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The version this one replaced.' }) supersedesId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The user (usr_…) or service key (tok_…) that recorded this version.' })
  createdBy!: string | null;
  @ApiProperty({ type: ActorResponse, nullable: true, description: "Who createdBy names: a person's e-mail, a service key's name." })
  createdByActor!: ActorResponse | null;
}

export class BoundTokenResponse implements Mirror<BoundTokenView, BoundTokenResponse> {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() lookupId!: string;
  @ApiProperty({ enum: TOKEN_STATUSES }) status!: TokenStatus;
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'consent_withdrawn' }) revokedReason!: string | null;
  @ApiProperty() useCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ConsentDetailResponse extends ConsentResponse implements Mirror<ConsentDetail, ConsentDetailResponse> {
  @ApiProperty({ type: [ConsentVersionResponse], description: 'Oldest first; never changed once written.' })
  versions!: ConsentVersionResponse[];

  @ApiProperty({ type: [BoundTokenResponse], description: 'Every token ever bound, oldest first.' })
  tokens!: BoundTokenResponse[];
}

export class ConsentPageResponse implements Mirror<Page<ConsentView>, ConsentPageResponse> {
  @ApiProperty({ type: [ConsentResponse] }) items!: ConsentResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class WithdrawalResponse implements Mirror<Withdrawal, WithdrawalResponse> {
  @ApiProperty({ type: ConsentResponse }) consent!: ConsentResponse;
  @ApiProperty({ description: 'Bound tokens revoked by this withdrawal (reason consent_withdrawn).' }) revokedTokens!: number;
}

class SubjectTotals implements Mirror<SubjectReport['totals'], SubjectTotals> {
  @ApiProperty() consents!: number;
  @ApiProperty() tokens!: number;
  @ApiProperty({ description: 'Verifications of all those tokens together.' }) uses!: number;
}

export class SubjectReportResponse implements Mirror<SubjectReport, SubjectReportResponse> {
  @ApiProperty() subjectRef!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: [ConsentDetailResponse] }) consents!: ConsentDetailResponse[];
  @ApiProperty({ type: SubjectTotals }) totals!: SubjectTotals;
}
