import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { BreachImpact, IMPACT_FORMATS, type ImpactFormat, type Principal, type RequestMeta } from '@custos/application';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { IsDateInRange } from '../http/validators';
import { ApiDoc } from '../openapi/operation-docs';

export class TokenImpactQuery {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: "The exposure window's start. Default: the token's first alert (or leak report), else its issuance." })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: "The window's end. Default: the token's revocation, else now." })
  @IsOptional() @Type(() => Date) @IsDate() @IsDateInRange()
  to?: Date;

  @ApiPropertyOptional({ enum: IMPACT_FORMATS, default: 'json' })
  @IsOptional() @IsIn(IMPACT_FORMATS)
  format?: ImpactFormat;
}

@ApiTags('alerts')
@Controller('v1/tokens')
export class TokenImpactController {
  constructor(private readonly impact: BreachImpact) {}

  @Get(':id/impact')
  @RequireScopes('custos:reports:read')
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({
    description:
      "The token's breach impact (docs/alerts.md#breach-impact). X-Custos-Report-Sha256 carries the body's SHA-256, X-Custos-Signature " +
      "the detached JWS over it by the tenant's signing key, verified like a compliance report's (docs/compliance.md).",
    content: {
      'application/json': { schema: { type: 'object' } },
      'text/csv': { schema: { type: 'string' } },
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiDoc({
    summary: 'What a compromised token could reach, did reach, and whose data: a signed breach impact report',
    description: 'Exposure window, scopes and restrictions, uses by outcome, resources, countries and networks, the data subjects of its consent, and the 72-hour clock. Audited (token.impact_reported).',
    query: { format: 'json' },
  })
  async report(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: TokenImpactQuery,
    @Meta() meta: RequestMeta,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const signed = await this.impact.report(principal, id, { from: query.from, to: query.to }, query.format ?? 'json', meta);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    await reply
      .header('content-type', signed.contentType)
      .header('content-disposition', `attachment; filename="custos-impact-${id.replace(/[^A-Za-z0-9_]/g, '')}-${stamp}.${query.format ?? 'json'}"`)
      .header('digest', `sha-256=${Buffer.from(signed.sha256, 'hex').toString('base64')}`)
      .header('x-custos-report-sha256', signed.sha256)
      .header('x-custos-signature', signed.jws)
      .header('x-custos-signing-kid', signed.kid)
      .header('cache-control', 'no-store')
      .send(signed.body);
  }
}
