import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import type { ServiceView } from '@custos/application';
import type { PublicJwk } from '@custos/crypto';
import { AllowLineBreaks } from '../http/request-text';
import { IsOptionalButNotNull, IsScope, MaxJsonBytes } from '../http/validators';
import type { Mirror } from '../http/mirror';

class ServiceFields {
  @ApiPropertyOptional({ type: String, maxLength: 1000, nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(1000) @AllowLineBreaks()
  description?: string | null;

  @ApiPropertyOptional({ type: String, example: 'team-orders@acme.test', nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(200)
  ownerContact?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Scopes tokens of this service may carry.' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @IsScope({ each: true })
  allowedScopes?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Public EC or RSA JWK; rotated secrets are delivered encrypted to it.',
  })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsObject() @MaxJsonBytes(8192)
  publicJwk?: Record<string, unknown> | null;

  @ApiPropertyOptional({ example: 'usr_…', description: 'The user accountable for it (custos:users:write to name one). Default: whoever creates it.' })
  @IsOptionalButNotNull() @IsString() @MaxLength(64)
  stewardUserId?: string;
}

export class CreateServiceDto extends ServiceFields {
  @ApiProperty({ example: 'orders', maxLength: 100 })
  @IsString() @Length(1, 100)
  name!: string;
}

export class UpdateServiceDto extends ServiceFields {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptionalButNotNull() @IsString() @Length(1, 100)
  name?: string;
}

export class ServiceResponse implements Mirror<ServiceView, ServiceResponse> {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, nullable: true }) ownerContact!: string | null;
  @ApiProperty({ type: [String] }) allowedScopes!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) publicJwk!: PublicJwk | null;
  @ApiProperty({ type: String, nullable: true, example: 'usr_…', description: 'The user accountable for the service.' }) stewardUserId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
