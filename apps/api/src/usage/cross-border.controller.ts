import { Readable } from 'node:stream';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CrossBorderExport, CrossBorderQuery, type CrossBorderExportFormat, type CrossBorderView, type Principal, type RequestMeta } from '@custos/application';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ApiDoc } from '../openapi/operation-docs';
import { CrossBorderExportQueryDto, CrossBorderQueryDto, CrossBorderResponse } from './usage.dto';

const CONTENT_TYPES: Record<CrossBorderExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json' };

/** Uses of tokens from outside their residency regions: the list, and the file an auditor takes away. */
@ApiTags('usage')
@Controller('v1/cross-border')
export class CrossBorderController {
  constructor(
    private readonly transfers: CrossBorderQuery,
    private readonly exporter: CrossBorderExport,
  ) {}

  @Get()
  @RequireScopes('custos:usage:read')
  @ApiOkResponse({ type: CrossBorderResponse })
  @ApiDoc({
    summary: 'Cross-border transfers: uses of tokens from outside their residency regions, per token and country',
    description:
      'Of the whole tenant, one token (tokenId) or the tokens of a service (serviceId); counted from hourly rollups, every answer included (byOutcome tells VALID from refused). ' +
      'The period defaults to the last 30 days and spans at most 400 days; a longer one, or one that ends before it starts, answers 400.',
    query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' },
  })
  list(@CurrentPrincipal() principal: Principal, @Query() query: CrossBorderQueryDto): Promise<CrossBorderView> {
    return this.transfers.list(principal, query);
  }

  @Get('export')
  @RequireScopes('custos:usage:read')
  @ApiProduces(...Object.values(CONTENT_TYPES))
  @ApiOkResponse({ content: Object.fromEntries(Object.values(CONTENT_TYPES).map((t) => [t, { schema: { type: 'string' } }])) })
  @ApiDoc({
    summary: 'The cross-border transfers of a period as a CSV or JSON file, for an auditor',
    description:
      "GET /v1/cross-border's transfers as an attachment: CSV with a header row (byOutcome as JSON), or JSON as GET /v1/cross-border answers. " +
      'Same period rules and filters. Audited (cross_border.exported).',
    query: { format: 'csv', from: '2026-10-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: CrossBorderExportQueryDto,
    @Meta() meta: RequestMeta,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { format = 'csv', ...filter } = query;
    const file = await this.exporter.export(principal, filter, format, meta);
    const day = (iso: string): string => iso.slice(0, 10);
    await reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="custos-cross-border-${day(file.from)}-${day(file.to)}.${format}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(file.chunks));
  }
}
