import { Readable } from 'node:stream';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  AuditCheckpoints,
  AuditExport,
  type CheckpointView,
  type Page,
  type Principal,
  type RequestMeta,
} from '@custos/application';
import { AUDIT_BUNDLE_CONTENT_TYPE, ErrorCode } from '@custos/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Meta, RequireScopes } from '../auth/auth.decorators';
import { CheckpointPageResponse, CheckpointResponse, ExportAuditQuery, ListCheckpointsQuery, SignCheckpointDto } from './audit-evidence.dto';
import { ApiDoc } from '../openapi/operation-docs';

/** What an auditor takes away: signed checkpoints of the chain and the bundle to verify offline. */
@ApiTags('audit')
@Controller('v1/audit-events')
export class AuditEvidenceController {
  constructor(
    private readonly checkpoints: AuditCheckpoints,
    private readonly exports: AuditExport,
  ) {}

  @Post('checkpoints')
  @RequireScopes('custos:audit:checkpoint')
  @ApiCreatedResponse({ type: CheckpointResponse, description: "Signs the tenant's chain head now." })
  @ApiDoc({
    summary: "Sign a checkpoint of the tenant's audit chain now",
    description: "Audited (audit.checkpoint_signed). 409 when the trail has no events yet or the chain contradicts its latest checkpoint.",
    errors: [ErrorCode.CONFLICT],
    example: {},
  })
  sign(@CurrentPrincipal() principal: Principal, @Body() _body: SignCheckpointDto, @Meta() meta: RequestMeta): Promise<CheckpointView> {
    return this.checkpoints.sign(principal, meta);
  }

  @Get('checkpoints')
  @RequireScopes('custos:audit:read')
  @ApiOkResponse({ type: CheckpointPageResponse, description: 'Newest first, keyset-paged.' })
  @ApiDoc({ summary: 'Signed checkpoints, newest first', query: { limit: 20 } })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCheckpointsQuery): Promise<Page<CheckpointView>> {
    return this.checkpoints.list(principal, { cursor: query.cursor, limit: query.limit ?? 50 });
  }

  @Get('export')
  @RequireScopes('custos:audit:read')
  @ApiProduces(AUDIT_BUNDLE_CONTENT_TYPE)
  @ApiOkResponse({
    description: 'JSON lines: a header, the events, the checkpoints covering them, the JWKS (docs/audit-chain.md).',
    content: { [AUDIT_BUNDLE_CONTENT_TYPE]: { schema: { type: 'string' } } },
  })
  @ApiDoc({
    summary: 'Export the audit trail of a period as a bundle to verify offline',
    description:
      'JSON lines, streamed as an attachment; the events end on a signed checkpoint (one is signed now when none covers the end yet). ' +
      'Verify it with `custos audit verify`. Audited (audit.exported).',
    query: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ExportAuditQuery,
    @Meta() meta: RequestMeta,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const bundle = await this.exports.open(principal, { from: query.from, to: query.to }, meta);
    // Streamed batch by batch: a long period never sits in memory whole. Not awaited: a database
    // failure mid-stream can only cut the response short (the bundle then fails verification), and
    // must not reach the error filter once the headers are out.
    void reply
      .header('content-type', AUDIT_BUNDLE_CONTENT_TYPE)
      .header('content-disposition', `attachment; filename="${bundle.filename}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(bundle.chunks()));
  }
}
