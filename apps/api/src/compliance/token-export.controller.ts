import { Readable } from 'node:stream';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { TOKEN_EXPORT_FORMATS, TokenExport, type Principal, type RequestMeta, type TokenExportFormat } from '@custos/application';
import type { FastifyReply } from 'fastify';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ListTokensQuery } from '../tokens/token.dto';
import { ApiDoc } from '../openapi/operation-docs';

export class ExportTokensQuery extends ListTokensQuery {
  @ApiPropertyOptional({ enum: TOKEN_EXPORT_FORMATS, default: 'csv' })
  @IsOptional() @IsIn(TOKEN_EXPORT_FORMATS)
  format?: TokenExportFormat;
}

const CONTENT_TYPES: Record<TokenExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json' };

/** Inventory export; its own controller so the tokens controller stays about token changes. */
@ApiTags('tokens')
@Controller('v1/tokens')
export class TokenExportController {
  constructor(private readonly exporter: TokenExport) {}

  @Get('export')
  @RequireScopes('custos:tokens:read')
  @ApiOperation({ summary: "The tokens matching GET /v1/tokens's filters as CSV or JSON, streamed; no secret or hash" })
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({ content: Object.fromEntries(Object.values(CONTENT_TYPES).map((t) => [t, { schema: { type: 'string' } }])) })
  @ApiDoc({
    summary: "The tokens matching GET /v1/tokens's filters as CSV or JSON, streamed; no secret or hash",
    description: 'Newest first, all of them (limit and cursor do not apply). Audited (tokens.exported).',
    query: { format: 'csv', status: 'active' },
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ExportTokensQuery,
    @Meta() meta: RequestMeta,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { format = 'csv', limit: _limit, cursor: _cursor, ...filter } = query;
    const chunks = await this.exporter.export(principal, filter, format, meta);
    const stamp = new Date().toISOString().slice(0, 10);
    await reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="custos-tokens-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(chunks));
  }
}
