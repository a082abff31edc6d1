import { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ReportsService, reportFileName, type Page, type Principal, type ReportView, type RequestMeta } from '@custos/application';
import { ErrorCode, REPORT_CONTENT_TYPES } from '@custos/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { ListReportsQuery, ReportPageResponse, ReportResponse, ReportSignatureResponse, RequestReportDto } from './reports.dto';
import { ApiDoc } from '../openapi/operation-docs';

/** Compliance reports: queued here, generated and signed by the worker (docs/compliance.md). */
@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('custos:reports:write')
  @ApiAcceptedResponse({ type: ReportResponse, description: 'Queued; poll GET /v1/reports/:id until status is done.' })
  @ApiDoc({
    summary: 'Request a compliance report',
    description:
      'Queued: the worker generates and signs it; poll GET /v1/reports/{id} until status is done. The period spans at most 3 years. ' +
      'Audited (report.requested).',
    example: { framework: 'soc2', from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', format: 'pdf' },
  })
  request(@CurrentPrincipal() principal: Principal, @Body() body: RequestReportDto, @Meta() meta: RequestMeta): Promise<ReportView> {
    return this.reports.request(principal, body, meta);
  }

  @Get()
  @RequireScopes('custos:reports:read')
  @ApiOkResponse({ type: ReportPageResponse, description: 'Newest first, keyset-paged.' })
  @ApiDoc({ summary: 'Compliance reports, newest first', query: { limit: 20 } })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListReportsQuery): Promise<Page<ReportView>> {
    return this.reports.list(principal, { cursor: query.cursor, limit: query.limit ?? 50 });
  }

  @Get(':id')
  @RequireScopes('custos:reports:read')
  @ApiOkResponse({ type: ReportResponse })
  @ApiDoc({ summary: 'Get a compliance report', description: 'Its status, and once done its sha256, kid and summary.' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ReportView> {
    return this.reports.get(principal, id);
  }

  @Get(':id/signature')
  @RequireScopes('custos:reports:read')
  @ApiOkResponse({ type: ReportSignatureResponse, description: "The detached JWS over the file's SHA-256." })
  @ApiDoc({
    summary: "A report's detached signature (JWS over its SHA-256)",
    description: '409 until the report is done.',
    errors: [ErrorCode.CONFLICT],
  })
  async signature(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ReportSignatureResponse> {
    const { report, jws } = await this.reports.signature(principal, id);
    return { reportId: report.id, sha256: report.sha256!, jws, kid: report.kid! };
  }

  @Get(':id/download')
  @RequireScopes('custos:reports:read')
  @ApiProduces(...Object.values(REPORT_CONTENT_TYPES))
  @ApiOkResponse({
    description:
      'The file, streamed. Digest / X-Custos-Report-Sha256 carry its SHA-256, X-Custos-Signature the detached JWS over it (docs/compliance.md).',
    content: Object.fromEntries(Object.values(REPORT_CONTENT_TYPES).map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  })
  @ApiDoc({
    summary: "Download a report's file",
    description: '409 until the report is done. Audited (report.downloaded).',
    errors: [ErrorCode.CONFLICT],
  })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Meta() meta: RequestMeta,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { report, jws, parts } = await this.reports.download(principal, id, meta);
    await reply
      .header('content-type', REPORT_CONTENT_TYPES[report.format])
      .header('content-disposition', `attachment; filename="${reportFileName(report)}"`)
      .header('content-length', String(report.sizeBytes))
      .header('digest', `sha-256=${Buffer.from(report.sha256!, 'hex').toString('base64')}`)
      .header('x-custos-report-sha256', report.sha256!)
      .header('x-custos-signature', jws)
      .header('x-custos-signing-kid', report.kid!)
      .header('cache-control', 'no-store')
      .send(Readable.from(parts));
  }
}
