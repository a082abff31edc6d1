import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';
import type { CheckpointView, Page } from '@custos/application';
import type { Jwks, SigningJwk } from '@custos/contracts';
import { PageQuery } from '../http/page-query';
import type { Mirror } from '../http/mirror';

/** Signing a checkpoint takes no fields; unknown ones are refused like everywhere else. */
export class SignCheckpointDto {}

export class ListCheckpointsQuery extends PageQuery {}

export class ExportAuditQuery {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'From the first event at or after this instant; open when left out.' })
  @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'To the last event before this instant; now when left out.' })
  @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}

export class CheckpointResponse implements Mirror<CheckpointView, CheckpointResponse> {
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

export class CheckpointPageResponse implements Mirror<Page<CheckpointView>, CheckpointPageResponse> {
  @ApiProperty({ type: [CheckpointResponse] }) items!: CheckpointResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SigningJwkResponse implements Mirror<SigningJwk, SigningJwkResponse> {
  @ApiProperty({ enum: ['EC'] }) kty!: 'EC';
  @ApiProperty({ enum: ['P-256'] }) crv!: 'P-256';
  @ApiProperty() x!: string;
  @ApiProperty() y!: string;
  @ApiProperty({ description: 'RFC 7638 thumbprint (SHA-256) of the key.' }) kid!: string;
  @ApiProperty({ enum: ['ES256'] }) alg!: 'ES256';
  @ApiProperty({ enum: ['sig'] }) use!: 'sig';
}

export class JwksResponse implements Mirror<Jwks, JwksResponse> {
  @ApiProperty({ type: [SigningJwkResponse], description: 'The signing key first, then retired keys, newest first.' })
  keys!: SigningJwkResponse[];
}
