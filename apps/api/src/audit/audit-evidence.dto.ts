import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Signing a checkpoint takes no fields; unknown ones are refused like everywhere else. */
export class SignCheckpointDto {}

export class ListCheckpointsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500)
  cursor?: string;
}

export class ExportAuditQuery {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'From the first event at or after this instant; open when left out.' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'To the last event before this instant; now when left out.' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}

export class CheckpointResponse {
  @ApiProperty({ example: 'ckp_…' }) id!: string;
  @ApiProperty({ description: 'Sequence number of the chain head signed.' }) seq!: number;
  @ApiProperty({ description: "That event's hash." }) hash!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true, description: "The tenant's previous checkpoint; null for its first." })
  prev!: string | null;
  @ApiProperty({ description: 'The signing key, as named in GET /v1/tenants/current/jwks.json.' }) kid!: string;
  @ApiProperty({ description: 'Compact JWS (ES256) over the RFC 8785 JSON of {id, tenantId, seq, hash, at, prev}.' })
  jws!: string;
}

export class CheckpointPageResponse {
  @ApiProperty({ type: [CheckpointResponse] }) items!: CheckpointResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SigningJwkResponse {
  @ApiProperty({ enum: ['EC'] }) kty!: 'EC';
  @ApiProperty({ enum: ['P-256'] }) crv!: 'P-256';
  @ApiProperty() x!: string;
  @ApiProperty() y!: string;
  @ApiProperty({ description: 'RFC 7638 thumbprint (SHA-256) of the key.' }) kid!: string;
  @ApiProperty({ enum: ['ES256'] }) alg!: 'ES256';
  @ApiProperty({ enum: ['sig'] }) use!: 'sig';
}

export class JwksResponse {
  @ApiProperty({ type: [SigningJwkResponse], description: 'The signing key first, then retired keys, newest first.' })
  keys!: SigningJwkResponse[];
}
