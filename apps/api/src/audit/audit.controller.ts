import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditQuery, type AuditEventView, type Page, type Principal } from '@custos/application';
import type { ChainVerdict } from '@custos/domain';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MaxLength } from 'class-validator';
import { ActorResponse } from '../accounts/accounts.dto';
import { PageQuery } from '../http/page-query';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators';
import type { Mirror } from '../http/mirror';
import { ApiDoc } from '../openapi/operation-docs';

export class ListAuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'token.revoked' }) @IsOptional() @IsString() @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({
    description: "An actor's id (usr_…, tok_…), or a person's e-mail: the events of every account that had it, removed ones included.",
    example: 'ana@example.com',
  })
  @IsOptional() @IsString() @MaxLength(254)
  actor?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  target?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' }) @IsOptional() @Type(() => Date) @IsDate()
  to?: Date;
}

export class AuditEventResponse implements Mirror<AuditEventView, AuditEventResponse> {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: ['user', 'service_key', 'system', 'anonymous'] }) actorType!: string;
  @ApiProperty({ type: String, nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) targetType!: string | null;
  @ApiProperty({ type: String, nullable: true }) targetId!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty() prevHash!: string;
  @ApiProperty({ description: 'sha256(prevHash bytes || RFC 8785 JSON of the event), hex' }) hash!: string;
  @ApiProperty({
    type: ActorResponse,
    nullable: true,
    description: 'Who actorId names, as of now: not part of the event, nor of its hash (leave it out, with prevHash and hash, to recompute the hash).',
  })
  actor!: ActorResponse | null;
  @ApiProperty({ type: ActorResponse, nullable: true, description: 'Who targetId names when the target is a person (targetType user), as of now; not hashed either.' })
  targetActor!: ActorResponse | null;
}

export class AuditPageResponse implements Mirror<Page<AuditEventView>, AuditPageResponse> {
  @ApiProperty({ type: [AuditEventResponse] }) items!: AuditEventResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ChainVerdictResponse implements Mirror<ChainVerdict, ChainVerdictResponse> {
  @ApiProperty() valid!: boolean;
  @ApiProperty() checkedEvents!: number;
  @ApiProperty() headSeq!: number;
  @ApiProperty() headHash!: string;
  @ApiPropertyOptional() firstInvalidSeq?: number;
  @ApiPropertyOptional({
    description: 'Why the chain is not valid, in words: the event that fails, or the signed checkpoint the chain contradicts.',
    example: 'the chain ends at seq 34 but checkpoint ckp_3fJ2… signed seq 36',
  })
  reason?: string;
  @ApiPropertyOptional({ description: 'Signed checkpoints checked: their signatures, their links, and the chain against each.' })
  checkedCheckpoints?: number;
}

@ApiTags('audit')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditQuery) {}

  @Get()
  @RequireScopes('custos:audit:read')
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiDoc({
    summary: 'Audit events, newest first',
    description: 'Filters: action, actor (id), target (id), from and to (occurredAt). Keyset-paged by seq.',
    query: { action: 'token.revoked', limit: 20 },
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAuditEventsQuery): Promise<Page<AuditEventView>> {
    return this.audit.list(principal, {
      action: query.action,
      actorId: query.actor,
      targetId: query.target,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
  }

  @Get('verify')
  @RequireScopes('custos:audit:read')
  @ApiOkResponse({ type: ChainVerdictResponse })
  @ApiDoc({
    summary: "Check the tenant's audit chain",
    description: 'Recomputes every hash and holds the chain against every signed checkpoint; valid: false says where and why (docs/audit-chain.md).',
  })
  verify(@CurrentPrincipal() principal: Principal): Promise<ChainVerdict> {
    return this.audit.verify(principal);
  }
}
